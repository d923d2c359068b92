using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Bootstrap.Steps;

/// <summary>Writes (or appends to) one file atomically under the root, then applies mode and owner.</summary>
internal sealed class WriteFileStep(string kind, string hostPath, byte[] content, UnixFileMode mode, string? owner, bool append, bool overwrite = true)
    : BootstrapStep($"{kind} {hostPath}")
{
    public string HostPath { get; } = hostPath;

    public override async Task ExecuteAsync(BootstrapContext context, CancellationToken cancellationToken)
    {
        var path = context.Root.Resolve(HostPath);
        if (!overwrite && !append && File.Exists(path) && !File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
        {
            throw new BootstrapStepFailedException($"{HostPath} exists and overwrite is false");
        }

        if (append)
        {
            AtomicFileWriter.Append(path, content, mode);
        }
        else
        {
            AtomicFileWriter.Write(path, content, mode);
        }

        await FileOwnership.ApplyAsync(context, path, owner, cancellationToken).ConfigureAwait(false);
    }
}
