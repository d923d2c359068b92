using Google.Protobuf.WellKnownTypes;
using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Contract.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>
/// One Sync stream: the hello, then observed state when it changes (identical states are not
/// repeated, progress is rate-limited), inventory when its fingerprint changes or the coordinator
/// asks, and jittered heartbeats in between. Desired states go to the converger as they arrive.
/// </summary>
/// <remarks>
/// The stream has no deadline: it is meant to live for days. A dead peer is noticed by the
/// channel's HTTP/2 keep-alive pings and by writes failing.
/// </remarks>
internal sealed class SyncSession(
    AgentService.AgentServiceClient client,
    ObservedStateTracker tracker,
    DesiredStateConverger converger,
    HostInventoryReader inventoryReader,
    HostRoot root,
    SyncPacing pacing,
    CoordinationOptions options,
    LinkStatus status,
    Func<double> random,
    TimeProvider timeProvider,
    ILogger<SyncSession> logger)
{
    private const double HeartbeatJitter = 0.2;

    private readonly long _origin = timeProvider.GetTimestamp();

    /// <summary>Runs one stream; returns when the coordinator ends it cleanly, throws <see cref="RpcException"/> otherwise.</summary>
    public async Task RunAsync(Enrollment enrollment, CancellationToken cancellationToken)
    {
        using var streamCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = client.Sync(new CallOptions(BearerCredentials.For(enrollment), deadline: null, streamCts.Token));
        var inventory = ReadInventory();
        var (state, _) = tracker.Snapshot();
        await WriteHelloAsync(call.RequestStream, new SyncHello
        {
            Namespace = enrollment.Namespace,
            InventoryName = enrollment.InventoryName,
            AgentVersion = AgentVersion.Current,
            InventoryFingerprint = inventory.Fingerprint,
            State = Stamp(state),
        }, cancellationToken).ConfigureAwait(false);
        CoordinationLog.StreamOpened(logger, enrollment.Namespace, enrollment.InventoryName, inventory.Fingerprint, state.AckedGeneration, state.Phase);
        status.SetLink("connected");

        var signals = new SessionSignals();
        var reader = ReadAsync(call.ResponseStream, signals, streamCts.Token);
        try
        {
            await WriteAsync(call.RequestStream, new Sent(Unstamped(state), inventory.Fingerprint), reader, signals, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await streamCts.CancelAsync().ConfigureAwait(false);
            await reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// The stream itself has no deadline, but opening it does: a stream the server never takes up (a
    /// replica draining when the agent reconnected) must not leave the agent waiting for good.
    /// </summary>
    private async Task WriteHelloAsync(IClientStreamWriter<AgentMessage> requests, SyncHello hello, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(options.UnaryCallTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await requests.WriteAsync(new AgentMessage { Hello = hello }, linked.Token).ConfigureAwait(false);
        }
        catch (RpcException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"the coordinator did not take the stream's hello within {DurationText.Format(options.UnaryCallTimeout)}", e));
        }
    }

    private async Task ReadAsync(IAsyncStreamReader<CoordinatorMessage> responses, SessionSignals signals, CancellationToken cancellationToken)
    {
        while (await responses.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            var message = responses.Current;
            switch (message.BodyCase)
            {
                case CoordinatorMessage.BodyOneofCase.Desired:
                    converger.Offer(message.Desired);
                    break;
                case CoordinatorMessage.BodyOneofCase.Settings:
                    pacing.Apply(message.Settings);
                    CoordinationLog.SettingsApplied(logger, pacing.HeartbeatInterval);
                    signals.RaisePacingChanged();
                    break;
                case CoordinatorMessage.BodyOneofCase.InventoryRequest:
                    signals.RaiseInventoryRequested();
                    break;
                default:
                    // A newer coordinator may send kinds this agent does not know; ignoring them is the contract.
                    break;
            }
        }
    }

    private async Task WriteAsync(
        IClientStreamWriter<AgentMessage> requests, Sent sent, Task reader, SessionSignals signals, CancellationToken cancellationToken)
    {
        ulong heartbeats = 0;
        var nextHeartbeat = Now() + NextHeartbeatDelay();
        var nextInventoryRead = Now() + options.InventoryRefreshInterval;
        var lastStateSentAt = Now();
        while (true)
        {
            var (state, changed) = tracker.Snapshot();
            var deferStateUntil = TimeSpan.MaxValue;
            if (!Unstamped(state).Equals(sent.State))
            {
                var progressOnly = IsProgressOnly(state, sent.State);
                if (progressOnly && Now() < lastStateSentAt + options.MinProgressInterval)
                {
                    deferStateUntil = lastStateSentAt + options.MinProgressInterval;
                }
                else
                {
                    await requests.WriteAsync(new AgentMessage { State = Stamp(state) }, cancellationToken).ConfigureAwait(false);
                    sent = sent with { State = Unstamped(state) };
                    lastStateSentAt = Now();
                    nextHeartbeat = Now() + NextHeartbeatDelay();
                }
            }

            if (signals.TakePacingChanged())
            {
                nextHeartbeat = Min(nextHeartbeat, Now() + NextHeartbeatDelay());
            }

            var forced = signals.TakeInventoryRequested();
            if (forced || Now() >= nextInventoryRead)
            {
                var inventory = ReadInventory();
                nextInventoryRead = Now() + options.InventoryRefreshInterval;
                if (forced || inventory.Fingerprint != sent.Fingerprint)
                {
                    CoordinationLog.InventorySent(logger, inventory.Fingerprint, forced);
                    await requests.WriteAsync(new AgentMessage { Inventory = inventory }, cancellationToken).ConfigureAwait(false);
                    sent = sent with { Fingerprint = inventory.Fingerprint };
                    nextHeartbeat = Now() + NextHeartbeatDelay();
                }

                // Reading the inventory may have changed addresses or the host name: look at the state again.
                continue;
            }

            if (Now() >= nextHeartbeat)
            {
                await requests.WriteAsync(new AgentMessage { Heartbeat = new Heartbeat { Sequence = ++heartbeats } }, cancellationToken).ConfigureAwait(false);
                nextHeartbeat = Now() + NextHeartbeatDelay();
            }

            var wakeAt = Min(Min(nextHeartbeat, nextInventoryRead), deferStateUntil);
            using var waitCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timer = Task.Delay(Max(wakeAt - Now(), TimeSpan.Zero), timeProvider, waitCts.Token);
            // A deferred state is already "changed"; waiting on it again would spin until the deferral ends.
            var stateChanged = deferStateUntil == TimeSpan.MaxValue ? changed : Task.Delay(Timeout.Infinite, waitCts.Token);
            var finished = await Task.WhenAny(stateChanged, signals.WaitAsync(waitCts.Token), timer, reader).ConfigureAwait(false);
            await waitCts.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (finished == reader)
            {
                // The coordinator ended the stream: surface its status (or return for a clean end).
                await reader.ConfigureAwait(false);
                return;
            }
        }
    }

    private HostInventory ReadInventory()
    {
        var inventory = inventoryReader.Read();
        var addresses = inventory.Nics
            .SelectMany(n => n.Addresses)
            .Where(a => !a.StartsWith("127.", StringComparison.Ordinal) && !a.StartsWith("::1/", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var hostname = HostIdentityReader.Hostname(root);
        tracker.Update(s =>
        {
            if (!s.Addresses.SequenceEqual(addresses, StringComparer.Ordinal))
            {
                s.Addresses.Clear();
                s.Addresses.AddRange(addresses);
            }

            s.Hostname = hostname;
        });
        return inventory;
    }

    private ObservedState Stamp(ObservedState state)
    {
        var stamped = state.Clone();
        stamped.ObservedAt = Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow());
        return stamped;
    }

    private static ObservedState Unstamped(ObservedState state)
    {
        var copy = state.Clone();
        copy.ObservedAt = null;
        return copy;
    }

    private static bool IsProgressOnly(ObservedState next, ObservedState sent) =>
        next.Phase == sent.Phase
        && next.AckedGeneration == sent.AckedGeneration
        && next.FailureReason == sent.FailureReason
        && (next.Bootstrap?.Complete ?? false) == (sent.Bootstrap?.Complete ?? false)
        && (next.Reset?.Complete ?? false) == (sent.Reset?.Complete ?? false);

    private TimeSpan NextHeartbeatDelay() => Jitter.Shorten(pacing.HeartbeatInterval, HeartbeatJitter, random);

    private TimeSpan Now() => timeProvider.GetElapsedTime(_origin);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>What the coordinator last got from this stream.</summary>
    private sealed record Sent(ObservedState State, string Fingerprint);

    /// <summary>What the reader tells the writer: the coordinator asked for the inventory, or changed the pacing.</summary>
    private sealed class SessionSignals
    {
        private readonly WakeSignal _wake = new();
        private int _inventoryRequested;
        private int _pacingChanged;

        public void RaiseInventoryRequested()
        {
            Volatile.Write(ref _inventoryRequested, 1);
            _wake.Signal();
        }

        public void RaisePacingChanged()
        {
            Volatile.Write(ref _pacingChanged, 1);
            _wake.Signal();
        }

        public bool TakeInventoryRequested() => Interlocked.Exchange(ref _inventoryRequested, 0) == 1;

        public bool TakePacingChanged() => Interlocked.Exchange(ref _pacingChanged, 0) == 1;

        public Task WaitAsync(CancellationToken cancellationToken) => _wake.WaitAsync(cancellationToken);
    }
}
