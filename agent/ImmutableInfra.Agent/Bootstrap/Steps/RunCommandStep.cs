using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Bootstrap.Steps;

/// <summary>
/// Runs one runcmd/bootcmd entry on the host. Its output is captured bounded and not reported:
/// kubeadm prints join tokens.
/// </summary>
internal sealed class RunCommandStep(string name, string fileName, IReadOnlyList<string> arguments) : BootstrapStep(name)
{
    public string FileName { get; } = fileName;

    public IReadOnlyList<string> Arguments { get; } = arguments;

    public override async Task ExecuteAsync(BootstrapContext context, CancellationToken cancellationToken)
    {
        var request = new CommandRequest(FileName, Arguments, context.Options.CommandTimeout) { OutputEdgeBytes = context.Options.OutputEdgeBytes };
        var result = await context.Runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        if (result.TimedOut)
        {
            throw new BootstrapStepFailedException($"{Name} timed out after {context.Options.CommandTimeout}");
        }

        if (result.ExitCode != 0)
        {
            throw new BootstrapStepFailedException($"{Name} exited with code {result.ExitCode}");
        }
    }
}
