namespace ImmutableInfra.Yaml;

/// <summary>A node of a parsed YAML document, with the 1-based position where it starts.</summary>
public abstract class YamlNode
{
    private protected YamlNode((int Line, int Column) position) => (Line, Column) = position;

    /// <summary>1-based line of the node's first character (its properties included).</summary>
    public int Line { get; }

    /// <summary>1-based column of the node's first character.</summary>
    public int Column { get; }

    /// <summary>The node's tag: "!!x" resolved to "tag:yaml.org,2002:x", "%TAG" handles applied; null when untagged.</summary>
    public string? Tag { get; internal set; }

    /// <summary>The anchor ("&amp;name") the node carries, without the '&amp;'.</summary>
    public string? Anchor { get; internal set; }
}

/// <summary>How a scalar was written, which tells a quoted "null" from a plain one.</summary>
public enum YamlScalarStyle
{
    /// <summary>Unquoted.</summary>
    Plain,

    /// <summary>'single-quoted'.</summary>
    SingleQuoted,

    /// <summary>"double-quoted".</summary>
    DoubleQuoted,

    /// <summary>A literal block scalar (|).</summary>
    Literal,

    /// <summary>A folded block scalar (&gt;).</summary>
    Folded,
}

/// <summary>A scalar: its text after quoting, escapes, folding and chomping; no type is resolved.</summary>
public sealed class YamlScalar : YamlNode
{
    internal YamlScalar((int Line, int Column) position, string value, YamlScalarStyle style)
        : base(position)
    {
        Value = value;
        Style = style;
    }

    /// <summary>The scalar's text; an absent value ("key:") is the empty string.</summary>
    public string Value { get; }

    /// <summary>How the scalar was written.</summary>
    public YamlScalarStyle Style { get; }

    /// <summary>True for an untagged plain scalar the YAML core schema reads as null: empty, "~", "null", "Null", "NULL".</summary>
    public bool IsNull => Style == YamlScalarStyle.Plain && Tag is null && Value is "" or "~" or "null" or "Null" or "NULL";

    /// <inheritdoc/>
    public override string ToString() => Value;
}

/// <summary>A sequence, block ("- item") or flow ("[a, b]").</summary>
public sealed class YamlSequence : YamlNode
{
    private readonly List<YamlNode> _items = [];

    internal YamlSequence((int Line, int Column) position)
        : base(position)
    {
    }

    /// <summary>The items in document order.</summary>
    public IReadOnlyList<YamlNode> Items => _items;

    internal void Add(YamlNode item) => _items.Add(item);
}

/// <summary>A mapping with scalar keys, in document order; keys are unique.</summary>
public sealed class YamlMapping : YamlNode
{
    private readonly List<KeyValuePair<YamlScalar, YamlNode>> _entries = [];
    private readonly Dictionary<string, YamlNode> _byKey = new(StringComparer.Ordinal);

    internal YamlMapping((int Line, int Column) position)
        : base(position)
    {
    }

    /// <summary>The entries in document order.</summary>
    public IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries => _entries;

    /// <summary>The value of a key, if the mapping has it.</summary>
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out YamlNode? value) =>
        _byKey.TryGetValue(key, out value);

    /// <summary>Whether the mapping has the key.</summary>
    public bool ContainsKey(string key) => _byKey.ContainsKey(key);

    /// <summary>Adds an entry; false when the key is already there.</summary>
    internal bool TryAdd(YamlScalar key, YamlNode value)
    {
        if (!_byKey.TryAdd(key.Value, value))
        {
            return false;
        }

        _entries.Add(new(key, value));
        return true;
    }
}
