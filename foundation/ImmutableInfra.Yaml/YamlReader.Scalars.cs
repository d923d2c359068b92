using System.Globalization;
using System.Text;

namespace ImmutableInfra.Yaml;

/// <summary>Scalars: plain, single- and double-quoted, literal and folded.</summary>
public sealed partial class YamlReader
{
    /// <summary>A plain scalar cannot start with an indicator, except "-", "?" or ":" directly followed by text.</summary>
    private void CheckPlainStart(bool flow)
    {
        var c = Peek();
        var next = Peek(1);
        var startsText = c is '-' or '?' or ':' && !IsWhiteOrEnd(next) && !(flow && IsFlowIndicator(next));
        if (startsText)
        {
            return;
        }

        if (c is '-' or '?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`')
        {
            throw Error(_pos, $"'{c}' cannot start a plain scalar; quote the value");
        }
    }

    /// <summary>
    /// One line's part of a plain scalar: up to the line's end, ": ", " #" or (in flow context) a flow indicator.
    /// Trailing blanks are not part of it; the cursor ends after its last character.
    /// </summary>
    private string ReadPlainSegment(bool flow)
    {
        var start = _pos;
        var end = _pos;
        while (true)
        {
            var c = Peek();
            if (c is '\n' or '\0'
                || (c == ':' && (IsWhiteOrEnd(Peek(1)) || (flow && IsFlowIndicator(Peek(1)))))
                || (flow && IsFlowIndicator(c))
                || (c == '#' && _pos > start && IsBlank(_s[_pos - 1])))
            {
                break;
            }

            _pos++;
            if (!IsBlank(c))
            {
                end = _pos;
            }
        }

        _pos = end;
        return _s[start..end];
    }

    /// <summary>
    /// The rest of a block-context plain scalar whose first line is read: lines indented more than the parent fold
    /// into it (one line break becomes a space, each empty line a line break) until a comment, a less indented line,
    /// a document marker or the end.
    /// </summary>
    private YamlScalar ContinuePlainBlock(YamlScalar first, int parentIndent)
    {
        StringBuilder? text = null;
        while (true)
        {
            SkipBlanks();
            if (Peek() != '\n')
            {
                break; // a comment or the end
            }

            var (next, breaks) = NextContentLine(_pos);
            if (next >= _s.Length || AtAnyDocumentMarker(_lineStarts[LineIndex(next)]) || _s[next] == '#')
            {
                break;
            }

            var lineStart = _lineStarts[LineIndex(next)];
            var indent = _s.AsSpan(lineStart, next - lineStart).IndexOfAnyExcept(' ');
            if ((indent < 0 ? next - lineStart : indent) <= parentIndent)
            {
                break;
            }

            text ??= new StringBuilder(first.Value);
            AppendLineFold(text, breaks);
            _pos = next;
            var segmentStart = _pos;
            text.Append(ReadPlainSegment(flow: false));
            var after = _pos;
            SkipBlanks();
            if (AtIndicator(':'))
            {
                throw Error(segmentStart, "a 'key: value' entry continues a plain scalar started on an earlier line (check the indentation, or quote the value)");
            }

            _pos = after;
        }

        return text is null ? first : new YamlScalar((first.Line, first.Column), text.ToString(), YamlScalarStyle.Plain);
    }

    /// <summary>
    /// Folds the line breaks between two lines of a quoted or plain scalar: one becomes a space; of more, each but
    /// the first stays a line break.
    /// </summary>
    private static void AppendLineFold(StringBuilder text, int breaks) => text.Append(breaks == 1 ? " " : new string('\n', breaks - 1));

    /// <summary>From a line break: the first non-blank character of the next non-empty line, and the line breaks crossed.</summary>
    private (int Pos, int Breaks) NextContentLine(int pos)
    {
        var breaks = 0;
        while (pos < _s.Length && _s[pos] == '\n')
        {
            breaks++;
            pos++;
            while (pos < _s.Length && IsBlank(_s[pos]))
            {
                pos++;
            }
        }

        return (pos, breaks);
    }

    private YamlScalar ReadQuoted()
    {
        var start = _pos;
        var quote = Peek();
        var style = quote == '"' ? YamlScalarStyle.DoubleQuoted : YamlScalarStyle.SingleQuoted;
        _pos++;
        var text = new StringBuilder();
        var blanksFrom = -1; // where a run of unescaped blanks starts in text: dropped if a line break follows
        while (true)
        {
            var c = Peek();
            if (c == '\0')
            {
                throw Error(start, $"the {(quote == '"' ? "double" : "single")}-quoted scalar is never closed");
            }

            if (c == quote)
            {
                if (quote == '\'' && Peek(1) == '\'')
                {
                    text.Append('\'');
                    _pos += 2;
                    blanksFrom = -1;
                    continue;
                }

                _pos++;
                return new YamlScalar(Position(start), text.ToString(), style);
            }

            if (c == '\n')
            {
                if (blanksFrom >= 0)
                {
                    text.Length = blanksFrom;
                }

                var (next, breaks) = NextContentLine(_pos);
                if (next < _s.Length && AtAnyDocumentMarker(_lineStarts[LineIndex(next)]))
                {
                    throw Error(next, "a document marker inside a quoted scalar");
                }

                AppendLineFold(text, breaks);
                _pos = next;
                blanksFrom = -1;
                continue;
            }

            if (c == '\\' && quote == '"')
            {
                ReadEscape(text);
                blanksFrom = -1;
                continue;
            }

            if (IsBlank(c))
            {
                if (blanksFrom < 0)
                {
                    blanksFrom = text.Length;
                }
            }
            else
            {
                blanksFrom = -1;
            }

            text.Append(c);
            _pos++;
        }
    }

    private void ReadEscape(StringBuilder text)
    {
        var start = _pos;
        var c = Peek(1);
        _pos += 2;
        switch (c)
        {
            case '\n':
                // An escaped line break joins the lines: no space, the next line's indentation dropped.
                SkipBlanks();
                while (Peek() == '\n')
                {
                    text.Append('\n');
                    _pos++;
                    SkipBlanks();
                }

                return;
            case '0': text.Append('\0'); return;
            case 'a': text.Append('\a'); return;
            case 'b': text.Append('\b'); return;
            case 't' or '\t': text.Append('\t'); return;
            case 'n': text.Append('\n'); return;
            case 'v': text.Append('\v'); return;
            case 'f': text.Append('\f'); return;
            case 'r': text.Append('\r'); return;
            case 'e': text.Append('\u001B'); return;
            case ' ': text.Append(' '); return;
            case '"': text.Append('"'); return;
            case '/': text.Append('/'); return;
            case '\\': text.Append('\\'); return;
            case 'N': text.Append('\u0085'); return;
            case '_': text.Append('\u00A0'); return;
            case 'L': text.Append('\u2028'); return;
            case 'P': text.Append('\u2029'); return;
            case 'x': text.Append(ReadHexEscape(start, 2)); return;
            case 'u': text.Append(ReadHexEscape(start, 4)); return;
            case 'U': text.Append(ReadHexEscape(start, 8)); return;
            default:
                throw Error(start, c == '\0' ? "the double-quoted scalar is never closed" : $"unknown escape '\\{c}' in a double-quoted scalar");
        }
    }

    private string ReadHexEscape(int start, int digits)
    {
        if (_pos + digits > _s.Length
            || !int.TryParse(_s.AsSpan(_pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
            || code < 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        {
            throw Error(start, $"escape '\\{_s[start + 1]}' needs {digits} hex digits of a Unicode character");
        }

        _pos += digits;
        return char.ConvertFromUtf32(code);
    }

    /// <summary>A literal (|) or folded (&gt;) block scalar; the cursor is at the indicator.</summary>
    private YamlScalar ReadBlockScalar(int parentIndent)
    {
        var start = _pos;
        var style = Peek() == '|' ? YamlScalarStyle.Literal : YamlScalarStyle.Folded;
        _pos++;
        var explicitIndent = 0;
        var chomping = ' ';
        for (var i = 0; i < 2; i++)
        {
            var c = Peek();
            if (c is >= '1' and <= '9' && explicitIndent == 0)
            {
                explicitIndent = c - '0';
                _pos++;
            }
            else if (c is '+' or '-' && chomping == ' ')
            {
                chomping = c;
                _pos++;
            }
            else if (c == '0')
            {
                throw Error(_pos, "a block scalar's indentation indicator must be 1 to 9");
            }
        }

        if (!IsWhiteOrEnd(Peek()))
        {
            throw Error(_pos, $"unexpected '{Peek()}' in the block scalar header");
        }

        ExpectLineEnd("after the block scalar header");
        var lines = new List<string>();
        if (!AtEnd)
        {
            _pos++; // the header's line break
            var indent = explicitIndent > 0
                ? (parentIndent < 0 ? explicitIndent : parentIndent + explicitIndent)
                : DetectBlockIndent(parentIndent);
            ReadBlockLines(indent, lines);
        }

        var last = lines.FindLastIndex(l => l.Length > 0);
        var body = last < 0 ? string.Empty
            : style == YamlScalarStyle.Literal ? string.Join('\n', lines.Take(last + 1))
            : Fold(lines, last);
        var trailing = lines.Count - last - 1;
        var value = chomping switch
        {
            '-' => body,
            '+' => last < 0 ? new string('\n', trailing) : body + new string('\n', trailing + 1),
            _ => last < 0 ? string.Empty : body + "\n",
        };
        return new YamlScalar(Position(start), value, style);
    }

    /// <summary>
    /// The content indentation of a block scalar without an indicator: that of its first non-empty line, which must
    /// be deeper than the parent's. Leading empty lines may not be indented more than it.
    /// </summary>
    private int DetectBlockIndent(int parentIndent)
    {
        var pos = _pos;
        var widestEmpty = 0;
        while (pos < _s.Length)
        {
            var spaces = 0;
            while (pos + spaces < _s.Length && _s[pos + spaces] == ' ')
            {
                spaces++;
            }

            var at = pos + spaces;
            if (at < _s.Length && _s[at] != '\n')
            {
                if (spaces > parentIndent && widestEmpty > spaces)
                {
                    throw Error(pos, "a leading empty line of the block scalar is indented more than its first text line");
                }

                return Math.Max(spaces, parentIndent + 1);
            }

            widestEmpty = Math.Max(widestEmpty, spaces);
            pos = at + 1;
        }

        return Math.Max(parentIndent + 1, 0);
    }

    /// <summary>Lines indented at least <paramref name="indent"/> (with that indentation removed), and empty lines.</summary>
    private void ReadBlockLines(int indent, List<string> lines)
    {
        while (!AtEnd && !AtAnyDocumentMarker(_pos))
        {
            var end = LineEnd(_pos);
            var spaces = _s.AsSpan(_pos, end - _pos).IndexOfAnyExcept(' ');
            if (spaces < 0)
            {
                spaces = end - _pos;
            }

            if (spaces >= indent)
            {
                lines.Add(_s[(_pos + indent)..end]);
            }
            else if (_pos + spaces == end)
            {
                lines.Add(string.Empty);
            }
            else
            {
                return; // less indented text ends the scalar
            }

            _pos = Math.Min(end + 1, _s.Length);
            if (end == _s.Length)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Folded style: a line break between two text lines becomes a space, and between lines around empty ones only
    /// the empty lines' breaks stay; lines indented further ("spaced") keep every break around them.
    /// </summary>
    private static string Fold(List<string> lines, int last)
    {
        var text = new StringBuilder();
        var i = 0;
        while (lines[i].Length == 0)
        {
            text.Append('\n');
            i++;
        }

        text.Append(lines[i]);
        var previousSpaced = IsBlank(lines[i][0]);
        for (i++; i <= last; i++)
        {
            var empty = 0;
            while (lines[i].Length == 0)
            {
                empty++;
                i++;
            }

            var spaced = IsBlank(lines[i][0]);
            if (!previousSpaced && !spaced)
            {
                text.Append(empty == 0 ? " " : new string('\n', empty));
            }
            else
            {
                text.Append('\n', empty + 1);
            }

            text.Append(lines[i]);
            previousSpaced = spaced;
        }

        return text.ToString();
    }
}
