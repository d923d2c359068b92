using System.Security.Cryptography;
using Google.Protobuf.WellKnownTypes;
using ImmutableInfra.Contract.V1;
using Grpc.Core;

namespace ImmutableInfra.Coordinator.Benchmarks;

/// <summary>
/// One host's agent reduced to its conversation with the coordinator, message for message what the real
/// agent sends (agent/ImmutableInfra.Agent/Coordination): Register with the pool token and the inventory;
/// a Sync stream opened with a hello carrying the fingerprint and the observed state; the inventory when
/// asked; jittered heartbeats at the interval the coordinator sets; each desired-state generation converged
/// and acknowledged once (Provision: Provisioning, FetchBootstrapData checked against its SHA-256, then
/// Provisioned with the bootstrap complete; Reset: Resetting, then Idle with the reset complete).
/// Hundreds of these share one HTTP/2 connection; nothing touches a disk.
/// </summary>
internal sealed class SimulatedAgent(int index, AgentService.AgentServiceClient client, string pool, string token, TimeSpan bootstrapTime, FleetRecorder recorder) : IDisposable
{
    private const string Version = "0.1.0-scale-bench";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly HostInventory _inventory = SimulatedInventory.Inventory(index);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private ObservedState _state = new() { Phase = HostPhase.Idle, Hostname = SimulatedInventory.HostName(index), Addresses = { SimulatedInventory.Address(index) } };
    private RegisterResponse? _enrollment;
    private TimeSpan _heartbeatInterval = TimeSpan.FromSeconds(30);

    /// <summary>Registers, retrying RESOURCE_EXHAUSTED and UNAVAILABLE with jittered exponential backoff as the agent does.</summary>
    public async Task RegisterAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (true)
        {
            var request = new RegisterRequest
            {
                Pool = pool,
                RegistrationToken = token,
                Identity = SimulatedInventory.Identity(index),
                Inventory = _inventory,
                AgentVersion = Version,
            };
            try
            {
                using var call = client.RegisterAsync(request, new CallOptions(deadline: DateTime.UtcNow + CallTimeout, cancellationToken: ct));
                _enrollment = await call.ResponseAsync.ConfigureAwait(false);
                Apply(_enrollment.Settings);
                recorder.OnRegistered();
                return;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.ResourceExhausted or StatusCode.Unavailable or StatusCode.DeadlineExceeded && !ct.IsCancellationRequested)
            {
                recorder.OnRegistrationRetry();
                await Task.Delay(Jittered(backoff), ct).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    /// <summary>Keeps a Sync stream open until cancelled, reconnecting (with backoff) when one ends.</summary>
    public async Task SyncAsync(CancellationToken ct)
    {
        var enrollment = _enrollment ?? throw new InvalidOperationException("register first");
        var headers = new Metadata { { "authorization", "Bearer " + enrollment.Credential } };
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await RunStreamAsync(enrollment, headers, ct).ConfigureAwait(false);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e)
            {
                recorder.OnFailure($"{SimulatedInventory.HostName(index)}: stream ended: {e.StatusCode} {e.Status.Detail}");
            }
            catch (IOException e)
            {
                recorder.OnFailure($"{SimulatedInventory.HostName(index)}: stream ended: {e.Message}");
            }

            recorder.OnReconnect();
            await Task.Delay(Jittered(TimeSpan.FromSeconds(1)), ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task RunStreamAsync(RegisterResponse enrollment, Metadata headers, CancellationToken ct)
    {
        using var streamCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var call = client.Sync(new CallOptions(headers, null, streamCts.Token));
        await WriteAsync(call.RequestStream, new AgentMessage
        {
            Hello = new SyncHello
            {
                Namespace = enrollment.Namespace,
                InventoryName = enrollment.InventoryName,
                AgentVersion = Version,
                InventoryFingerprint = _inventory.Fingerprint,
                State = Stamped(),
            },
        }, ct).ConfigureAwait(false);
        recorder.OnStreamOpened();
        var heartbeats = HeartbeatAsync(call.RequestStream, streamCts.Token);
        try
        {
            while (await call.ResponseStream.MoveNext(ct).ConfigureAwait(false))
            {
                var message = call.ResponseStream.Current;
                switch (message.BodyCase)
                {
                    case CoordinatorMessage.BodyOneofCase.Settings:
                        Apply(message.Settings);
                        break;
                    case CoordinatorMessage.BodyOneofCase.InventoryRequest:
                        await WriteAsync(call.RequestStream, new AgentMessage { Inventory = _inventory }, ct).ConfigureAwait(false);
                        break;
                    case CoordinatorMessage.BodyOneofCase.Desired:
                        await ConvergeAsync(call.RequestStream, message.Desired, headers, ct).ConfigureAwait(false);
                        break;
                    default:
                        break;
                }
            }
        }
        finally
        {
            recorder.OnStreamClosed();
            await streamCts.CancelAsync().ConfigureAwait(false);
            await heartbeats.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // Converged on the read loop: the coordinator sends nothing else a host must act on while one action runs.
    private async Task ConvergeAsync(IClientStreamWriter<AgentMessage> requests, DesiredState desired, Metadata headers, CancellationToken ct)
    {
        if (desired.Generation <= _state.AckedGeneration)
        {
            return;
        }

        switch (desired.ActionCase)
        {
            case DesiredState.ActionOneofCase.Provision:
                var provision = desired.Provision;
                _state.Phase = HostPhase.Provisioning;
                _state.Reset = null;
                _state.Bootstrap = new BootstrapProgress { MachineUid = provision.MachineUid };
                await WriteAsync(requests, new AgentMessage { State = Stamped() }, ct).ConfigureAwait(false);
                var data = await FetchAsync(provision, headers, ct).ConfigureAwait(false);
                if (data is null)
                {
                    Finish(desired.Generation, HostPhase.Failed, "bootstrap data does not match the provision's bootstrap_data_sha256");
                    break;
                }

                recorder.Delivered(provision.Machine);
                await Task.Delay(bootstrapTime, ct).ConfigureAwait(false);
                _state.Bootstrap = new BootstrapProgress { MachineUid = provision.MachineUid, Step = 2, TotalSteps = 2, StepName = "runcmd 1", Complete = true };
                _state.Hostname = provision.Metadata?.LocalHostname is { Length: > 0 } hostname ? hostname : _state.Hostname;
                Finish(desired.Generation, HostPhase.Provisioned, string.Empty);
                break;
            case DesiredState.ActionOneofCase.Reset:
                _state.Phase = HostPhase.Resetting;
                _state.Reset = new ResetProgress { Step = "kubeadm-reset" };
                await WriteAsync(requests, new AgentMessage { State = Stamped() }, ct).ConfigureAwait(false);
                _state.Reset = new ResetProgress
                {
                    Step = "wipe",
                    Complete = true,
                    Disks =
                    {
                        new DiskWipeProgress { Disk = _inventory.Disks[0].ByIdPath, Policy = WipePolicy.None, State = DiskWipeState.Skipped, Reason = "holds the running OS" },
                        new DiskWipeProgress { Disk = _inventory.Disks[1].ByIdPath, Policy = WipePolicy.Metadata, State = DiskWipeState.Done },
                    },
                };
                _state.Bootstrap = null;
                Finish(desired.Generation, HostPhase.Idle, string.Empty);
                break;
            default:
                Finish(desired.Generation, HostPhase.Idle, string.Empty);
                break;
        }

        await WriteAsync(requests, new AgentMessage { State = Stamped() }, ct).ConfigureAwait(false);
    }

    private void Finish(long generation, HostPhase phase, string failureReason)
    {
        _state.AckedGeneration = generation;
        _state.Phase = phase;
        _state.FailureReason = failureReason;
        if (phase == HostPhase.Failed)
        {
            recorder.OnFailure($"{SimulatedInventory.HostName(index)}: {failureReason}");
        }
    }

    /// <summary>FetchBootstrapData, NOT_FOUND and UNAVAILABLE retried as the agent's fetcher does; null when the data does not match.</summary>
    private async Task<byte[]?> FetchAsync(Provision provision, Metadata headers, CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                using var call = client.FetchBootstrapDataAsync(
                    new FetchBootstrapDataRequest { MachineUid = provision.MachineUid },
                    new CallOptions(headers, DateTime.UtcNow + CallTimeout, ct));
                var response = await call.ResponseAsync.ConfigureAwait(false);
                var data = response.Data.ToByteArray();
                return string.Equals(Convert.ToHexStringLower(SHA256.HashData(data)), provision.BootstrapDataSha256, StringComparison.OrdinalIgnoreCase) ? data : null;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.Unavailable or StatusCode.DeadlineExceeded && !ct.IsCancellationRequested)
            {
                recorder.OnFetchRetry();
                await Task.Delay(Jittered(backoff), ct).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private async Task HeartbeatAsync(IClientStreamWriter<AgentMessage> requests, CancellationToken ct)
    {
        ulong sequence = 0;
        while (!ct.IsCancellationRequested)
        {
            // The agent's jitter: up to 20 % shorter than the interval.
            await Task.Delay(_heartbeatInterval * (1 - (0.2 * Random.Shared.NextDouble())), ct).ConfigureAwait(false);
            await WriteAsync(requests, new AgentMessage { Heartbeat = new Heartbeat { Sequence = ++sequence } }, ct).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(IClientStreamWriter<AgentMessage> requests, AgentMessage message, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await requests.WriteAsync(message, ct).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private ObservedState Stamped()
    {
        var state = _state.Clone();
        state.ObservedAt = Timestamp.FromDateTime(DateTime.UtcNow);
        return state;
    }

    private void Apply(SyncSettings? settings)
    {
        if (settings?.HeartbeatInterval is { } interval && interval.ToTimeSpan() > TimeSpan.Zero)
        {
            _heartbeatInterval = interval.ToTimeSpan();
        }
    }

    public void Dispose() => _writeLock.Dispose();

    private static TimeSpan Jittered(TimeSpan delay) => delay * (0.5 + (0.5 * Random.Shared.NextDouble()));
}
