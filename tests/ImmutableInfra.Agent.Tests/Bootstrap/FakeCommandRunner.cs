using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Tests.Bootstrap;

/// <summary>
/// Records commands instead of running them. It plays the host's part where a test needs one:
/// the CAPI runcmd "... &amp;&amp; echo success &gt; /run/cluster-api/bootstrap-success.complete" creates the
/// sentinel under the fake root, as the real shell would after kubeadm succeeded.
/// </summary>
internal sealed class FakeCommandRunner(string root) : ICommandRunner
{
    public List<CommandRequest> Requests { get; } = [];

    /// <summary>Throws (as a crash would) when a command line contains this text.</summary>
    public string? CrashOn { get; init; }

    /// <summary>Exits 1 when a command line contains this text.</summary>
    public string? FailOn { get; init; }

    public IEnumerable<string> Lines => Requests.Select(r => r.Display);

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        var line = request.Display;
        if (CrashOn is not null && line.Contains(CrashOn, StringComparison.Ordinal))
        {
            throw new SimulatedCrashException();
        }

        if (FailOn is not null && line.Contains(FailOn, StringComparison.Ordinal))
        {
            return Task.FromResult(new CommandResult(1, false, BoundedOutput.Empty, BoundedOutput.Empty));
        }

        if (line.Contains("echo success > /run/cluster-api/bootstrap-success.complete", StringComparison.Ordinal))
        {
            var sentinel = Path.Combine(root, "run/cluster-api/bootstrap-success.complete");
            Directory.CreateDirectory(Path.GetDirectoryName(sentinel)!);
            File.WriteAllText(sentinel, "success\n");
        }

        return Task.FromResult(CommandResult.Ok());
    }
}

/// <summary>Stands for the agent process dying mid-step.</summary>
internal sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException()
        : base("simulated crash")
    {
    }

    public SimulatedCrashException(string message)
        : base(message)
    {
    }

    public SimulatedCrashException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
