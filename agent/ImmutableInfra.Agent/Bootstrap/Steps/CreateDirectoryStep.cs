namespace ImmutableInfra.Agent.Bootstrap.Steps;

/// <summary>Creates a directory (and its parents) under the root with a mode.</summary>
internal sealed class CreateDirectoryStep(string hostPath, UnixFileMode mode, string? owner) : BootstrapStep($"directories {hostPath}")
{
    public override async Task ExecuteAsync(BootstrapContext context, CancellationToken cancellationToken)
    {
        var path = context.Root.Resolve(hostPath);
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, mode);
        await FileOwnership.ApplyAsync(context, path, owner, cancellationToken).ConfigureAwait(false);
    }
}
