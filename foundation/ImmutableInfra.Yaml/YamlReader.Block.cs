namespace ImmutableInfra.Yaml;

/// <summary>Block structure: indentation-scoped mappings and sequences.</summary>
public sealed partial class YamlReader
{
    /// <summary>
    /// The node that starts at the next content, if that content is indented more than <paramref name="parentIndent"/>
    /// (or is a "- " entry at the parent's own indentation, which a mapping value may be); otherwise an empty scalar.
    /// </summary>
    private YamlNode ParseBlockNode(int parentIndent, bool compactSequence)
    {
        SkipToContent();
        if (AtEnd || AtAnyDocumentMarker(_pos))
        {
            return EmptyScalar(_pos);
        }

        var column = Column(_pos);
        if (column > parentIndent || (compactSequence && column == parentIndent && AtSequenceEntry()))
        {
            return ParseNodeAt(parentIndent, lineStart: true, compactSequence);
        }

        return EmptyScalar(_pos);
    }

    private bool AtSequenceEntry() => Peek() == '-' && IsWhiteOrEnd(Peek(1));

    /// <summary>
    /// The node whose first character is at the cursor. At the start of a line (or after "- ") it may be a block
    /// sequence or a block mapping; after "key: " only a scalar, a flow collection or an alias fits on the line.
    /// </summary>
    private YamlNode ParseNodeAt(int parentIndent, bool lineStart, bool compactSequence)
    {
        var start = _pos;
        var column = Column(start);
        var properties = ReadProperties(flow: false);
        if (properties.Any && AtLineEndOrComment())
        {
            SkipComment();
            SkipToContent();
            if (!AtEnd && Peek() == '*' && Column(_pos) > parentIndent)
            {
                throw Error(_pos, "an alias cannot have an anchor or tag");
            }

            return Attach(properties, ParseBlockNode(parentIndent, compactSequence));
        }

        if (AtSequenceEntry())
        {
            if (!lineStart || properties.Any)
            {
                throw Error(_pos, "a block sequence cannot start on this line; put its '- ' entries on the lines below");
            }

            return ParseBlockSequence(column);
        }

        switch (Peek())
        {
            case '[' or '{':
            {
                var collection = ParseFlowCollection();
                SkipBlanks();
                if (Peek() == ':' && IsWhiteOrEnd(Peek(1)))
                {
                    throw Error(_pos, "a flow collection cannot be a mapping key");
                }

                ExpectLineEnd("after a flow collection");
                return Attach(properties, collection);
            }

            case '|' or '>':
                return Attach(properties, ReadBlockScalar(parentIndent));

            case '*':
            {
                if (properties.Any)
                {
                    throw Error(_pos, "an alias cannot have an anchor or tag");
                }

                var alias = ReadAlias();
                SkipBlanks();
                if (Peek() == ':' && IsWhiteOrEnd(Peek(1)))
                {
                    throw Error(start, "an alias cannot be a mapping key");
                }

                ExpectLineEnd("after an alias");
                return alias;
            }

            case '?' when IsWhiteOrEnd(Peek(1)):
                if (!lineStart || properties.Any)
                {
                    throw Error(_pos, "an explicit '? ' key cannot start on this line");
                }

                return ParseBlockMapping(start, column, ReadExplicitKey(column), firstKeyExplicit: true);

            case '"' or '\'':
            {
                var quotedLine = LineIndex(_pos);
                var scalar = ReadQuoted();
                SkipBlanks();
                if (Peek() == ':' && IsWhiteOrEnd(Peek(1)))
                {
                    if (LineIndex(_pos) != quotedLine)
                    {
                        throw Error(start, "a mapping key must fit on one line");
                    }

                    return StartMapping(lineStart, start, column, properties, scalar);
                }

                ExpectLineEnd("after a quoted scalar");
                return Attach(properties, scalar);
            }

            default:
            {
                CheckPlainStart(flow: false);
                var scalarStart = _pos;
                var first = ReadPlainSegment(flow: false);
                var afterFirst = _pos;
                SkipBlanks();
                if (Peek() == ':' && IsWhiteOrEnd(Peek(1)))
                {
                    var key = new YamlScalar(LineIndex(scalarStart) + 1, Column(scalarStart) + 1, first, YamlScalarStyle.Plain);
                    return StartMapping(lineStart, start, column, properties, key);
                }

                _pos = afterFirst;
                return Attach(properties, ContinuePlainBlock(scalarStart, first, parentIndent));
            }
        }
    }

    private YamlMapping StartMapping(bool lineStart, int start, int column, Properties keyProperties, YamlScalar key)
    {
        if (!lineStart)
        {
            throw Error(start, "a mapping cannot start on the line of its key; put 'key: value' on a line of its own");
        }

        Attach(keyProperties, key);
        return ParseBlockMapping(start, column, key, firstKeyExplicit: false);
    }

    /// <summary>
    /// A block mapping whose entries start at <paramref name="indent"/>; the cursor is at the first key's ':', or
    /// elsewhere after an explicit key without a value.
    /// </summary>
    private YamlMapping ParseBlockMapping(int start, int indent, YamlScalar firstKey, bool firstKeyExplicit)
    {
        Enter(start);
        var mapping = new YamlMapping(LineIndex(start) + 1, Column(start) + 1);
        var key = firstKey;
        var explicitKey = firstKeyExplicit;
        while (true)
        {
            YamlNode value;
            if (Peek() == ':' && IsWhiteOrEnd(Peek(1)))
            {
                if (explicitKey && Column(_pos) != indent)
                {
                    throw Error(_pos, $"the ':' of a '? ' key must be at the key's indentation (column {indent + 1})");
                }

                _pos++;
                value = ParseMappingValue(indent, explicitKey);
            }
            else
            {
                value = EmptyScalar(_pos);
            }

            if (!mapping.TryAdd(key, value))
            {
                throw new YamlSyntaxException(key.Line, key.Column, $"duplicate mapping key '{key.Value}'");
            }

            SkipToContent();
            if (AtEnd || AtAnyDocumentMarker(_pos) || Column(_pos) < indent)
            {
                break;
            }

            if (Column(_pos) > indent)
            {
                throw Error(_pos, $"bad indentation: this line is indented more than the mapping's keys (column {indent + 1})");
            }

            if (AtSequenceEntry())
            {
                throw Error(_pos, "a '- ' entry where a mapping key was expected (check the indentation)");
            }

            explicitKey = Peek() == '?' && IsWhiteOrEnd(Peek(1));
            key = explicitKey ? ReadExplicitKey(indent) : ReadMappingKey();
        }

        Leave();
        return mapping;
    }

    /// <summary>
    /// The value after "key:". After an explicit "? key", the ':' line may start a compact block collection, as
    /// "- " does; after an implicit key only a scalar, flow collection or alias fits on the key's line.
    /// </summary>
    private YamlNode ParseMappingValue(int indent, bool explicitKey)
    {
        SkipBlanks();
        if (AtLineEndOrComment())
        {
            SkipComment();
            return ParseBlockNode(indent, compactSequence: true);
        }

        return ParseNodeAt(indent, lineStart: explicitKey, compactSequence: true);
    }

    /// <summary>The key of a further mapping entry; the cursor ends at its ':'.</summary>
    private YamlScalar ReadMappingKey()
    {
        var start = _pos;
        var properties = ReadProperties(flow: false);
        YamlScalar key;
        switch (Peek())
        {
            case '"' or '\'':
                var line = LineIndex(_pos);
                key = ReadQuoted();
                if (LineIndex(_pos) != line)
                {
                    throw Error(start, "a mapping key must fit on one line");
                }

                break;
            case '[' or '{':
                throw Error(_pos, "a flow collection cannot be a mapping key");
            case '*':
                throw Error(_pos, "an alias cannot be a mapping key");
            case '|' or '>':
                throw Error(_pos, "a block scalar cannot be a mapping key without '? '");
            default:
                CheckPlainStart(flow: false);
                var keyStart = _pos;
                key = new YamlScalar(LineIndex(keyStart) + 1, Column(keyStart) + 1, ReadPlainSegment(flow: false), YamlScalarStyle.Plain);
                break;
        }

        SkipBlanks();
        if (Peek() != ':' || !IsWhiteOrEnd(Peek(1)))
        {
            throw Error(start, $"'{key.Value}' is not a 'key: value' entry (no ':' follows it), but the mapping's other keys are at this indentation");
        }

        Attach(properties, key);
        return key;
    }

    /// <summary>
    /// An explicit "? key" entry's key, which may span lines; the cursor ends at its ':' when a value follows at the
    /// mapping's indentation.
    /// </summary>
    private YamlScalar ReadExplicitKey(int indent)
    {
        var start = _pos;
        _pos++; // the '?'
        SkipBlanks();
        YamlNode key;
        if (AtLineEndOrComment())
        {
            SkipComment();
            key = ParseBlockNode(indent, compactSequence: false);
        }
        else
        {
            key = ParseNodeAt(indent, lineStart: true, compactSequence: false);
        }

        if (key is not YamlScalar scalar)
        {
            throw Error(start, "a mapping key must be a scalar");
        }

        SkipToContent();
        return scalar;
    }

    /// <summary>A block sequence whose "- " entries are at <paramref name="indent"/>; the cursor is at the first '-'.</summary>
    private YamlSequence ParseBlockSequence(int indent)
    {
        var start = _pos;
        Enter(start);
        var sequence = new YamlSequence(LineIndex(start) + 1, Column(start) + 1);
        while (true)
        {
            _pos++; // the '-'
            SkipBlanks();
            if (AtLineEndOrComment())
            {
                SkipComment();
                sequence.Add(ParseBlockNode(indent, compactSequence: false));
            }
            else
            {
                sequence.Add(ParseNodeAt(indent, lineStart: true, compactSequence: false));
            }

            SkipToContent();
            if (AtEnd || AtAnyDocumentMarker(_pos) || Column(_pos) < indent)
            {
                break;
            }

            if (Column(_pos) > indent)
            {
                throw Error(_pos, $"bad indentation: this line is indented more than the sequence's '- ' entries (column {indent + 1})");
            }

            if (!AtSequenceEntry())
            {
                break;
            }
        }

        Leave();
        return sequence;
    }
}
