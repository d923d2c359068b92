using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Agent.Tests.Bootstrap;

namespace ImmutableInfra.Agent.Tests.Coordination;

/// <summary>
/// The bootstrap tests' FakeCommandRunner, plus a gate: a command containing <see cref="HoldOn"/> waits
/// until <see cref="Release"/> (or until the agent cancels it), so a test can act mid-provision.
/// </summary>
internal sealed class GatedCommandRunner(string root) : ICommandRunner
{
    private readonly FakeCommandRunner _inner = new(root);
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? HoldOn { get; init; }

    public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Commands that ran to completion, in order.</summary>
    public List<string> Completed { get; } = [];

    public void Release() => _released.TrySetResult();

    public async Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        if (HoldOn is not null && request.Display.Contains(HoldOn, StringComparison.Ordinal))
        {
            Held.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
        }

        var result = await _inner.RunAsync(request, cancellationToken);
        lock (_gate)
        {
            Completed.Add(request.Display);
        }

        return result;
    }

    public IReadOnlyList<string> CompletedSnapshot()
    {
        lock (_gate)
        {
            return [.. Completed];
        }
    }
}
