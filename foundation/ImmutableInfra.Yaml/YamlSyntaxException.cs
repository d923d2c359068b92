namespace ImmutableInfra.Yaml;

/// <summary>Text that is not valid YAML (or uses a form this reader does not accept), with the 1-based position.</summary>
public sealed class YamlSyntaxException : Exception
{
    /// <summary>Creates the exception for a problem at a position.</summary>
    public YamlSyntaxException(int line, int column, string problem)
        : base($"line {line}, column {column}: {problem}")
    {
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>Creates the exception without a position (for serializers and tests).</summary>
    public YamlSyntaxException()
        : this(0, 0, "invalid YAML")
    {
    }

    /// <summary>Creates the exception without a position (for serializers and tests).</summary>
    public YamlSyntaxException(string message)
        : this(0, 0, message)
    {
    }

    /// <summary>Creates the exception without a position, wrapping another.</summary>
    public YamlSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = message;
    }

    /// <summary>1-based line of the problem.</summary>
    public int Line { get; }

    /// <summary>1-based column of the problem.</summary>
    public int Column { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Problem { get; } = string.Empty;
}
