using System.Globalization;

namespace ImmutableInfra.Yaml;

/// <summary>
/// Reads YAML 1.2 text into node trees: block and flow collections, the five scalar styles, comments, anchors and
/// aliases (an alias is the anchored node itself, never a copy, so aliases cannot blow up memory), tags, directives
/// and multi-document streams. Mapping keys must be scalars, and explicit "? key" entries are refused with a clear
/// error: kubeconfigs, cloud-config and agent.yaml never need either.
/// </summary>
public sealed partial class YamlReader
{
    /// <summary>How deep collections may nest; deeper input is refused instead of exhausting the stack.</summary>
    public const int MaxDepth = 128;

    private const string CoreTagPrefix = "tag:yaml.org,2002:";

    private readonly string _s;
    private readonly int[] _lineStarts;
    // An anchor counts from where it is written (an inner node may redefine it before the outer one is complete);
    // its node is set once complete, so an alias inside the anchored node itself finds null and is refused.
    private readonly Dictionary<string, (int Order, YamlNode? Node)> _anchors = new(StringComparer.Ordinal);
    private int _anchorOrder;
    private readonly Dictionary<string, string> _tagHandles = new(StringComparer.Ordinal);
    private int _pos;
    private int _depth;

    private YamlReader(string text)
    {
        _s = Normalise(text);
        var starts = new List<int> { 0 };
        for (var i = 0; i < _s.Length; i++)
        {
            if (_s[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = [.. starts];
        CheckCharacters();
    }

    /// <summary>Parses every document of a stream; an empty stream (or only comments) has none.</summary>
    /// <exception cref="YamlSyntaxException">The text is not valid YAML; the exception names line, column and problem.</exception>
    public static IReadOnlyList<YamlNode> ReadDocuments(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new YamlReader(text).ReadStream();
    }

    /// <summary>The first document's root node, or null for a stream without documents.</summary>
    /// <exception cref="YamlSyntaxException">The text is not valid YAML.</exception>
    public static YamlNode? ReadFirstDocument(string text)
    {
        var documents = ReadDocuments(text);
        return documents.Count == 0 ? null : documents[0];
    }

    private static string Normalise(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        return text.Contains('\r', StringComparison.Ordinal)
            ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n')
            : text;
    }

    /// <summary>YAML allows only printable characters (c-printable) outside escapes.</summary>
    private void CheckCharacters()
    {
        for (var i = 0; i < _s.Length; i++)
        {
            var c = _s[i];
            if (c is '\t' or '\n' or '\u0085' || (c >= ' ' && c <= '~') || (c >= '\u00A0' && c <= '\uD7FF') || (c >= '\uE000' && c <= '\uFFFD'))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < _s.Length && char.IsLowSurrogate(_s[i + 1]))
            {
                i++;
                continue;
            }

            throw Error(i, string.Create(CultureInfo.InvariantCulture, $"character U+{(int)c:X4} is not allowed in YAML text (write it as an escape in a double-quoted scalar)"));
        }
    }

    private List<YamlNode> ReadStream()
    {
        var documents = new List<YamlNode>();
        while (true)
        {
            SkipToContent();
            if (AtEnd)
            {
                return documents;
            }

            var directives = ReadDirectives();
            if (AtDocumentMarker('-'))
            {
                _pos += 3;
            }
            else if (directives)
            {
                throw Error(_pos, "directives must be followed by a '---' line");
            }
            else if (AtDocumentMarker('.'))
            {
                _pos += 3;
                ExpectLineEnd("after '...'");
                continue;
            }

            _anchors.Clear();
            documents.Add(ParseBlockNode(-1, compactSequence: false));
            SkipToContent();
            if (AtEnd)
            {
                return documents;
            }

            if (AtDocumentMarker('.'))
            {
                _pos += 3;
                ExpectLineEnd("after '...'");
                _tagHandles.Clear();
            }
            else if (AtDocumentMarker('-'))
            {
                _tagHandles.Clear();
            }
            else
            {
                throw Error(_pos, "unexpected content after the end of the document (check its indentation)");
            }
        }
    }

    /// <summary>Reads "%YAML" and "%TAG" lines at the start of a document; true when there were any.</summary>
    private bool ReadDirectives()
    {
        var any = false;
        while (!AtEnd && Column(_pos) == 0 && Peek() == '%')
        {
            var end = LineEnd(_pos);
            var parts = _s[(_pos + 1)..end].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var commentAt = Array.FindIndex(parts, p => p.StartsWith('#'));
            if (commentAt >= 0)
            {
                parts = parts[..commentAt];
            }

            switch (parts)
            {
                case ["YAML", var version] when version.StartsWith("1.", StringComparison.Ordinal):
                    break;
                case ["YAML", var version]:
                    throw Error(_pos, $"YAML version {version} is not supported (1.x is)");
                case ["TAG", var handle, var prefix] when handle.StartsWith('!') && handle.EndsWith('!'):
                    _tagHandles[handle] = prefix;
                    break;
                case ["YAML" or "TAG", ..]:
                    throw Error(_pos, $"malformed %{parts[0]} directive");
                default:
                    break; // Reserved directives are ignored, as the spec asks.
            }

            _pos = end;
            any = true;
            SkipToContent();
        }

        return any;
    }

    private bool AtEnd => _pos >= _s.Length;

    private char Peek(int offset = 0) => _pos + offset < _s.Length ? _s[_pos + offset] : '\0';

    private static bool IsBlank(char c) => c is ' ' or '\t';

    private static bool IsWhiteOrEnd(char c) => c is ' ' or '\t' or '\n' or '\0';

    private static bool IsFlowIndicator(char c) => c is ',' or '[' or ']' or '{' or '}';

    private int Column(int pos) => pos - _lineStarts[LineIndex(pos)];

    private int LineIndex(int pos)
    {
        var index = Array.BinarySearch(_lineStarts, pos);
        return index >= 0 ? index : ~index - 1;
    }

    private int LineEnd(int pos)
    {
        var end = _s.IndexOf('\n', pos);
        return end < 0 ? _s.Length : end;
    }

    /// <summary>The 1-based line and column of a position, as nodes and errors report them.</summary>
    private (int Line, int Column) Position(int pos) => (LineIndex(pos) + 1, Column(pos) + 1);

    private YamlSyntaxException Error(int pos, string problem)
    {
        var (line, column) = Position(Math.Min(pos, _s.Length));
        return new YamlSyntaxException(line, column, problem);
    }

    /// <summary>At an indicator that white space or the end follows: "- ", "? " or ": ".</summary>
    private bool AtIndicator(char c) => Peek() == c && IsWhiteOrEnd(Peek(1));

    /// <summary>"---" or "..." at the start of a line, followed by white space or the end.</summary>
    private bool AtDocumentMarker(char c) => AtDocumentMarker(_pos, c);

    private bool AtDocumentMarker(int pos, char c) =>
        pos + 2 < _s.Length && Column(pos) == 0 && _s[pos] == c && _s[pos + 1] == c && _s[pos + 2] == c
        && (pos + 3 == _s.Length || IsWhiteOrEnd(_s[pos + 3]));

    private bool AtAnyDocumentMarker(int pos) => AtDocumentMarker(pos, '-') || AtDocumentMarker(pos, '.');

    private void SkipBlanks()
    {
        while (IsBlank(Peek()))
        {
            _pos++;
        }
    }

    /// <summary>At a line break, the end, or a comment (a '#' after white space or at the start of a line).</summary>
    private bool AtLineEndOrComment() =>
        Peek() is '\n' or '\0' || (Peek() == '#' && (_pos == 0 || IsWhiteOrEnd(_s[_pos - 1])));

    private void SkipComment()
    {
        if (Peek() == '#')
        {
            _pos = LineEnd(_pos);
        }
    }

    /// <summary>The rest of the line must be blank or a comment.</summary>
    private void ExpectLineEnd(string where)
    {
        SkipBlanks();
        if (!AtLineEndOrComment())
        {
            throw Error(_pos, $"unexpected '{Peek()}' {where}");
        }

        SkipComment();
    }

    /// <summary>
    /// Skips white space, comments and line breaks up to the next content. A tab that indents content is refused:
    /// YAML indents with spaces only, and a tab would make the nesting ambiguous.
    /// </summary>
    private void SkipToContent()
    {
        while (!AtEnd)
        {
            var c = Peek();
            if (c == ' ')
            {
                _pos++;
            }
            else if (c == '\t')
            {
                var lineStart = _lineStarts[LineIndex(_pos)];
                var onlyIndent = _s.AsSpan(lineStart, _pos - lineStart).IndexOfAnyExcept(' ', '\t') < 0;
                SkipBlanks();
                if (onlyIndent && !AtLineEndOrComment())
                {
                    throw Error(_pos, "a tab indents this line; YAML indents with spaces only");
                }
            }
            else if (c == '\n')
            {
                _pos++;
            }
            else if (AtLineEndOrComment())
            {
                SkipComment();
            }
            else
            {
                return;
            }
        }
    }

    private void Enter(int pos)
    {
        if (++_depth > MaxDepth)
        {
            throw Error(pos, $"collections nest deeper than {MaxDepth} levels");
        }
    }

    private void Leave() => _depth--;

    private YamlScalar EmptyScalar(int pos) => new(Position(pos), string.Empty, YamlScalarStyle.Plain);

    /// <summary>Anchor and tag in front of a node, in either order.</summary>
    private readonly record struct Properties(string? Anchor, int AnchorOrder, string? Tag)
    {
        public bool Any => Anchor is not null || Tag is not null;
    }

    private Properties ReadProperties(bool flow)
    {
        string? anchor = null;
        var anchorOrder = 0;
        string? tag = null;
        while (true)
        {
            if (Peek() == '&')
            {
                if (anchor is not null)
                {
                    throw Error(_pos, "a node has two anchors");
                }

                _pos++;
                anchor = ReadName("anchor");
                anchorOrder = ++_anchorOrder;
                _anchors[anchor] = (anchorOrder, null);
            }
            else if (Peek() == '!')
            {
                if (tag is not null)
                {
                    throw Error(_pos, "a node has two tags");
                }

                tag = ReadTag(flow);
            }
            else
            {
                return new Properties(anchor, anchorOrder, tag);
            }

            if (!IsWhiteOrEnd(Peek()) && !(flow && IsFlowIndicator(Peek())))
            {
                throw Error(_pos, "an anchor or tag must be followed by white space");
            }

            SkipBlanks();
        }
    }

    /// <summary>An anchor or alias name: any characters up to white space or a flow indicator.</summary>
    private string ReadName(string what)
    {
        var start = _pos;
        while (!IsWhiteOrEnd(Peek()) && !IsFlowIndicator(Peek()))
        {
            _pos++;
        }

        return _pos > start ? _s[start.._pos] : throw Error(start, $"an {what} needs a name");
    }

    private string ReadTag(bool flow)
    {
        var start = _pos;
        if (Peek(1) == '<')
        {
            var close = _s.IndexOf('>', _pos);
            if (close < 0 || close > LineEnd(_pos))
            {
                throw Error(start, "a verbatim tag '!<' has no closing '>'");
            }

            _pos = close + 1;
            return _s[(start + 2)..close];
        }

        while (!IsWhiteOrEnd(Peek()) && !(flow && IsFlowIndicator(Peek())))
        {
            _pos++;
        }

        var text = _s[start.._pos];
        var handleEnd = text.IndexOf('!', 1);
        var handle = handleEnd < 0 ? "!" : text[..(handleEnd + 1)];
        var suffix = text[handle.Length..];
        if (_tagHandles.TryGetValue(handle, out var prefix))
        {
            return prefix + suffix;
        }

        return handle switch
        {
            "!!" => CoreTagPrefix + suffix,
            "!" => text,
            _ => throw Error(start, $"tag handle '{handle}' is not declared by a %TAG directive"),
        };
    }

    private YamlNode Attach(Properties properties, YamlNode node)
    {
        if (properties.Tag is not null)
        {
            node.Tag = properties.Tag;
        }

        if (properties.Anchor is not null)
        {
            node.Anchor = properties.Anchor;
            if (_anchors[properties.Anchor].Order == properties.AnchorOrder)
            {
                _anchors[properties.Anchor] = (properties.AnchorOrder, node);
            }
        }

        return node;
    }

    private YamlNode ReadAlias()
    {
        var start = _pos;
        _pos++;
        var name = ReadName("alias");
        if (!_anchors.TryGetValue(name, out var anchored))
        {
            throw Error(start, $"alias '*{name}' refers to no anchor defined before it");
        }

        return anchored.Node ?? throw Error(start, $"alias '*{name}' is inside the node it refers to");
    }
}
