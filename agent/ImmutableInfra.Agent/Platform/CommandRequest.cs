namespace ImmutableInfra.Agent.Platform;

/// <summary>One process to run: argv, a mandatory timeout and the output bound.</summary>
internal sealed record CommandRequest(string FileName, IReadOnlyList<string> Arguments, TimeSpan Timeout)
{
    /// <summary>Bytes kept from the start and from the end of each output stream.</summary>
    public int OutputEdgeBytes { get; init; } = 16 * 1024;

    /// <summary>Runs a shell line through /bin/sh -c, as cloud-init does for string entries.</summary>
    public static CommandRequest Shell(string line, TimeSpan timeout) => new("/bin/sh", ["-c", line], timeout);

    /// <summary>The argv as one line, for logs and failure reasons.</summary>
    public string Display => Arguments.Count == 0 ? FileName : FileName + " " + string.Join(' ', Arguments);
}
