using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Bootstrap.Steps;

/// <summary>Creates a symbolic or hard link under the root; a hard link's target is resolved under the root too.</summary>
internal sealed class CreateLinkStep(string hostPath, string target, bool hard, bool overwrite) : BootstrapStep($"links {hostPath}")
{
    public override async Task ExecuteAsync(BootstrapContext context, CancellationToken cancellationToken)
    {
        var path = context.Root.Resolve(hostPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var exists = File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;
        if (exists)
        {
            if (!hard && new FileInfo(path).LinkTarget == target)
            {
                return;
            }

            if (!overwrite)
            {
                throw new BootstrapStepFailedException($"{hostPath} exists and overwrite is false");
            }

            File.Delete(path);
        }

        if (hard)
        {
            // .NET has no hard-link API; ln is everywhere and keeps this free of unsafe interop.
            var request = new CommandRequest("ln", ["--", context.Root.Resolve(target), path], TimeSpan.FromSeconds(30)) { OutputEdgeBytes = 1024 };
            var result = await context.Runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new BootstrapStepFailedException($"{Name}: ln exited with code {result.ExitCode}");
            }
        }
        else
        {
            // The target stays as written: it is interpreted on the host, where the root is "/".
            File.CreateSymbolicLink(path, target);
        }
    }
}
