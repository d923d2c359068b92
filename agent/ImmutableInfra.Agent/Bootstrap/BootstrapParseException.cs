namespace ImmutableInfra.Agent.Bootstrap;

/// <summary>Bootstrap data that cannot be run; found before any step executes.</summary>
internal sealed class BootstrapParseException : Exception
{
    public BootstrapParseException(string message)
        : base(message)
    {
    }

    public BootstrapParseException()
    {
    }

    public BootstrapParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
