namespace ImmutableInfra.Agent.Platform;

/// <summary>A host path that would resolve outside the agent's root.</summary>
internal sealed class PathEscapeException : Exception
{
    public PathEscapeException(string path, string problem)
        : base($"{problem}: {path}")
    {
        Path = path;
    }

    public PathEscapeException()
    {
        Path = string.Empty;
    }

    public PathEscapeException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = string.Empty;
    }

    public string Path { get; }
}
