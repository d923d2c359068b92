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
        if (column > parentIndent || (compactSequence && column == parentIndent && AtIndicator('-')))
        {
            return ParseNodeAt(parentIndent, lineStart: true, compactSequence);
        }

        return EmptyScalar(_pos);
    }

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

        if (AtIndicator('-'))
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
                if (AtIndicator(':'))
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
                if (AtIndicator(':'))
                {
                    throw Error(start, "an alias cannot be a mapping key");
                }

                ExpectLineEnd("after an alias");
                return alias;
            }

            case '?' when AtIndicator('?'):
                if (!lineStart || properties.Any)
                {
                    throw Error(_pos, "an explicit '? ' key cannot start on this line");
                }

                return ParseBlockMapping(start, column, ReadExplicitKey(column), firstKeyExplicit: true);

            default:
            {
                var (scalar, isKey) = ReadScalarOrKey(start);
                if (isKey)
                {
                    return StartMapping(lineStart, start, column, properties, scalar);
                }

                if (scalar.Style != YamlScalarStyle.Plain)
                {
                    ExpectLineEnd("after a quoted scalar");
                    return Attach(properties, scalar);
                }

                return Attach(properties, ContinuePlainBlock(scalar, parentIndent));
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
        var mapping = new YamlMapping(Position(start));
        var key = firstKey;
        var explicitKey = firstKeyExplicit;
        while (true)
        {
            YamlNode value;
            if (AtIndicator(':'))
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

            if (AtIndicator('-'))
            {
                throw Error(_pos, "a '- ' entry where a mapping key was expected (check the indentation)");
            }

            explicitKey = AtIndicator('?');
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
        switch (Peek())
        {
            case '[' or '{':
                throw Error(_pos, "a flow collection cannot be a mapping key");
            case '*':
                throw Error(_pos, "an alias cannot be a mapping key");
            case '|' or '>':
                throw Error(_pos, "a block scalar cannot be a mapping key without '? '");
        }

        var (key, isKey) = ReadScalarOrKey(start);
        if (!isKey)
        {
            throw Error(start, $"'{key.Value}' is not a 'key: value' entry (no ':' follows it), but the mapping's other keys are at this indentation");
        }

        Attach(properties, key);
        return key;
    }

    /// <summary>
    /// A quoted scalar, or the first line of a plain one, and whether ": " follows it on its line, which makes it a
    /// mapping key (the cursor is then at the ':'). A key must fit on one line.
    /// </summary>
    private (YamlScalar Scalar, bool IsKey) ReadScalarOrKey(int start)
    {
        var line = LineIndex(_pos);
        YamlScalar scalar;
        if (Peek() is '"' or '\'')
        {
            scalar = ReadQuoted();
        }
        else
        {
            CheckPlainStart(flow: false);
            var position = Position(_pos);
            scalar = new YamlScalar(position, ReadPlainSegment(flow: false), YamlScalarStyle.Plain);
        }

        var after = _pos;
        SkipBlanks();
        if (!AtIndicator(':'))
        {
            _pos = after;
            return (scalar, false);
        }

        return LineIndex(_pos) == line ? (scalar, true) : throw Error(start, "a mapping key must fit on one line");
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
        var sequence = new YamlSequence(Position(start));
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

            if (!AtIndicator('-'))
            {
                break;
            }
        }

        Leave();
        return sequence;
    }
}
