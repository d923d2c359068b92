using System.Text;

namespace ImmutableInfra.Yaml;

/// <summary>Flow collections ("[a, b]", "{a: b}"), which may span lines whatever their indentation.</summary>
public sealed partial class YamlReader
{
    /// <summary>The cursor is at '[' or '{'; ends after the closing bracket.</summary>
    private YamlNode ParseFlowCollection()
    {
        var start = _pos;
        Enter(start);
        var isSequence = Peek() == '[';
        var close = isSequence ? ']' : '}';
        var name = isSequence ? "flow sequence" : "flow mapping";
        _pos++;
        YamlNode collection = isSequence
            ? new YamlSequence(Position(start))
            : new YamlMapping(Position(start));
        while (true)
        {
            SkipFlowSpace(start, name);
            if (Peek() == close)
            {
                _pos++;
                break;
            }

            if (Peek() == ',')
            {
                throw Error(_pos, $"an empty entry in a {name} (two ',' in a row, or a ',' first)");
            }

            var entryStart = _pos;
            var explicitKey = AtIndicator('?');
            if (explicitKey)
            {
                _pos++;
                SkipFlowSpace(start, name);
            }

            var node = explicitKey && (Peek() == ':' || Peek() == ',' || Peek() == close)
                ? EmptyScalar(_pos)
                : ParseFlowNode(start, name);
            SkipFlowSpace(start, name);
            var jsonLike = node is YamlScalar { Style: YamlScalarStyle.SingleQuoted or YamlScalarStyle.DoubleQuoted } or YamlSequence or YamlMapping;
            var hasValue = Peek() == ':' && (explicitKey || jsonLike || IsWhiteOrEnd(Peek(1)) || IsFlowIndicator(Peek(1)));
            YamlNode value = EmptyScalar(_pos);
            if (hasValue)
            {
                _pos++;
                SkipFlowSpace(start, name);
                if (Peek() != ',' && Peek() != close)
                {
                    value = ParseFlowNode(start, name);
                }
            }

            if (collection is YamlMapping mapping)
            {
                AddFlowEntry(mapping, entryStart, node, value);
            }
            else if (hasValue || explicitKey)
            {
                // "[key: value]" (or "[? key]") is a sequence entry that is a mapping with one pair.
                var pair = new YamlMapping(Position(entryStart));
                AddFlowEntry(pair, entryStart, node, value);
                ((YamlSequence)collection).Add(pair);
            }
            else
            {
                ((YamlSequence)collection).Add(node);
            }

            SkipFlowSpace(start, name);
            if (Peek() == ',')
            {
                _pos++;
            }
            else if (Peek() != close)
            {
                throw Error(_pos, $"expected ',' or '{close}' in the {name} that starts at line {LineIndex(start) + 1}");
            }
        }

        Leave();
        return collection;
    }

    private void AddFlowEntry(YamlMapping mapping, int entryStart, YamlNode key, YamlNode value)
    {
        if (key is not YamlScalar scalarKey)
        {
            throw Error(entryStart, "a mapping key must be a scalar");
        }

        if (!mapping.TryAdd(scalarKey, value))
        {
            throw Error(entryStart, $"duplicate mapping key '{scalarKey.Value}'");
        }
    }

    /// <summary>Blanks, line breaks and comments inside a flow collection; the end of the text there is an error.</summary>
    private void SkipFlowSpace(int collectionStart, string name)
    {
        while (true)
        {
            var c = Peek();
            if (IsBlank(c) || c == '\n')
            {
                _pos++;
            }
            else if (c == '#' && IsWhiteOrEnd(_s[_pos - 1]))
            {
                SkipComment();
            }
            else if (c == '\0' || AtAnyDocumentMarker(_pos))
            {
                throw Error(collectionStart, $"the {name} is never closed");
            }
            else
            {
                return;
            }
        }
    }

    private YamlNode ParseFlowNode(int collectionStart, string name)
    {
        var properties = ReadProperties(flow: true);
        if (properties.Any)
        {
            SkipFlowSpace(collectionStart, name);
            if (Peek() is ',' or ']' or '}' or ':')
            {
                return Attach(properties, EmptyScalar(_pos));
            }
        }

        switch (Peek())
        {
            case '[' or '{':
                return Attach(properties, ParseFlowCollection());
            case '"' or '\'':
                return Attach(properties, ReadQuoted());
            case '*' when !properties.Any:
                return ReadAlias();
            case '*':
                throw Error(_pos, "an alias cannot have an anchor or tag");
            case '|' or '>':
                throw Error(_pos, "a block scalar cannot be inside a flow collection");
            default:
                if (AtIndicator('-'))
                {
                    throw Error(_pos, "a '- ' entry cannot be inside a flow collection");
                }

                CheckPlainStart(flow: true);
                return Attach(properties, ReadPlainFlow());
        }
    }

    /// <summary>A flow-context plain scalar, folded over line breaks until an indicator, a comment or ": ".</summary>
    private YamlScalar ReadPlainFlow()
    {
        var start = _pos;
        var first = ReadPlainSegment(flow: true);
        StringBuilder? text = null;
        while (true)
        {
            var after = _pos;
            SkipBlanks();
            if (Peek() != '\n')
            {
                _pos = after;
                break;
            }

            var (next, breaks) = NextContentLine(_pos);
            var c = next < _s.Length ? _s[next] : '\0';
            var continues = c != '\0' && c != '#' && !IsFlowIndicator(c) && !AtAnyDocumentMarker(_lineStarts[LineIndex(next)])
                && !(c == ':' && (next + 1 >= _s.Length || IsWhiteOrEnd(_s[next + 1]) || IsFlowIndicator(_s[next + 1])));
            if (!continues)
            {
                _pos = after;
                break;
            }

            text ??= new StringBuilder(first);
            AppendLineFold(text, breaks);
            _pos = next;
            text.Append(ReadPlainSegment(flow: true));
        }

        return new YamlScalar(Position(start), text?.ToString() ?? first, YamlScalarStyle.Plain);
    }
}
