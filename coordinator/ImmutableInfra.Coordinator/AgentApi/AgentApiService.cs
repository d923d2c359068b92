using Google.Protobuf.WellKnownTypes;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Contract.V1;
using ImmutableInfra.Coordinator.AgentApi.Registration;
using ImmutableInfra.Coordinator.Caching;
using ImmutableInfra.Coordinator.Controllers;
using ImmutableInfra.Coordinator.Hosting;
using ImmutableInfra.Coordinator.Hosts;
using ImmutableInfra.Coordinator.Observability;
using Grpc.Core;
using ImmutableInfra.Coordinator.AgentApi.Interceptors;
using ImmutableInfra.Kubernetes.Cache;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;
using Microsoft.Extensions.Logging;
using ApiHostInventory = ImmutableInfra.Api.V1Beta1.HostInventory;
using Status = Grpc.Core.Status;

namespace ImmutableInfra.Coordinator.AgentApi;

/// <summary>
/// The agent API (proto/immutableinfra/agent/v1): Register, Sync and FetchBootstrapData, each already authenticated
/// and scoped to its pool or host by <see cref="AgentCredentialInterceptor"/>. Any replica serves any host: all it
/// needs is on the host's object. It writes only when a host's facts change, never per heartbeat.
/// </summary>
internal sealed partial class AgentApiService : AgentService.AgentServiceBase, IDisposable
{
    private readonly ResourceCaches _caches;
    private readonly HostStatusWriter _writer;
    private readonly DesiredStateBuilder _desired;
    private readonly AgentStreamRegistry _streams;
    private readonly CoordinatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HostRegistrar _registrar;
    private readonly HostWriteBudget _budget;

    // How long a stream holds the bootstrap data of the Provision it sent, waiting for the agent to fetch it.
    // Agents fetch at once; a bound keeps credentials from sitting in memory when one never does.
    private static readonly TimeSpan BootstrapHandoffLifetime = TimeSpan.FromSeconds(30);

    public AgentApiService(
        ResourceCaches caches, HostStatusWriter writer, AgentStreamRegistry streams, EventRecorder events,
        CoordinatorOptions options, TimeProvider time, ILogger<AgentApiService> logger)
    {
        _caches = caches;
        _writer = writer;
        _desired = new DesiredStateBuilder(caches.Secrets);
        _streams = streams;
        _options = options;
        _time = time;
        _logger = logger;
        _registrar = new HostRegistrar(caches, writer, streams, events, options, time, logger);
        _budget = new HostWriteBudget(options);
        caches.HostCache.AddHandler(new ResourceChangeHandler<MachineInventory>(
            onUpdate: (_, host) => streams.Wake(CacheKeys.Of(host))));
    }

    private SyncSettings Settings => new()
    {
        HeartbeatInterval = Duration.FromTimeSpan(_options.AgentHeartbeatInterval),
        MaxReconnectBackoff = Duration.FromTimeSpan(_options.AgentMaxReconnectBackoff),
    };

    public override Task<RegisterResponse> Register(RegisterRequest request, ServerCallContext context) =>
        _registrar.RegisterAsync(request, context.Peer, Settings, context.CancellationToken);

    public override async Task Sync(IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<CoordinatorMessage> responseStream, ServerCallContext context)
    {
        var host = context.Host();
        var hostKey = CacheKeys.Of(host);
        var credentialHash = host.Status?.CredentialHash;
        RefuseDenied(host);
        if (!await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false) || requestStream.Current.BodyCase != AgentMessage.BodyOneofCase.Hello)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "the first message on a Sync stream must be a hello"));
        }

        var hello = requestStream.Current.Hello;
        if (_streams.Draining)
        {
            throw Stopping();
        }

        using var stream = _streams.Open(hostKey, context.CancellationToken);
        var writeLock = new SemaphoreSlim(1, 1);
        using var reports = new HostReportWriter(_writer, _budget, hostKey, host.Metadata.Namespace, host.Metadata.Name!);
        try
        {
            // A new stream costs a write: budgeted like reports, so reconnecting in a loop is no way around the budget.
            await _budget.WaitAsync(hostKey, stream.Token).ConfigureAwait(false);
            var updated = await _writer.UpdateAsync(host.Metadata.Namespace, host.Metadata.Name!, h =>
            {
                var status = h.Status!;
                status.ConnectedTo = _options.ReplicaId;
                status.LastSeen = _time.GetUtcNow();
                status.AgentVersion = hello.AgentVersion;
                if (hello.State is { } observed)
                {
                    ObservedStateApplier.Apply(status, observed);
                }

                return true;
            }, h => false, stream.Token).ConfigureAwait(false);
            if (updated is null)
            {
                throw new RpcException(new Status(StatusCode.NotFound, "this host's record was deleted; register again"));
            }

            await SendAsync(responseStream, writeLock, new CoordinatorMessage { Settings = Settings }, stream.Token).ConfigureAwait(false);
            if (hello.InventoryFingerprint.Length == 0 || hello.InventoryFingerprint != updated.Status?.Inventory?.Fingerprint)
            {
                await SendAsync(responseStream, writeLock, new CoordinatorMessage { InventoryRequest = new InventoryRequest() }, stream.Token).ConfigureAwait(false);
            }

            var sender = SendDesiredLoopAsync(stream, responseStream, writeLock, credentialHash);
            var writer = reports.RunAsync(e => SendFailed(_logger, e, hostKey), stream.Token);
            try
            {
                await ReceiveLoopAsync(requestStream, reports, stream.Token).ConfigureAwait(false);
            }
            finally
            {
                stream.End();
                await Task.WhenAll(sender, writer).ConfigureAwait(false);
                if (stream.Revoked is null)
                {
                    await FlushAsync(reports, hostKey).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stream.Revoked is { } revoked)
        {
            throw new RpcException(revoked);
        }
        catch (OperationCanceledException) when (stream.Replaced)
        {
            throw new RpcException(new Status(StatusCode.Aborted, "a newer stream of this host replaced this one"));
        }
        catch (OperationCanceledException) when (_streams.Draining && !context.CancellationToken.IsCancellationRequested)
        {
            throw Stopping();
        }
        finally
        {
            _streams.Close(stream);
            writeLock.Dispose();
            if (!stream.Replaced)
            {
                await MarkDisconnectedAsync(host).ConfigureAwait(false);
            }
        }
    }

    public override async Task<BootstrapData> FetchBootstrapData(FetchBootstrapDataRequest request, ServerCallContext context)
    {
        // The credential interceptor made sure the call is the host's own and names its own claim.
        var host = context.Host();
        var claim = host.Status!.Claim!;
        var machine = claim.MachineRef!;

        // Usually the bytes the Provision was just hashed from, held by this host's stream on this replica: one Secret
        // read per delivery instead of two. Otherwise (another replica sent it, or it was held too long) read again.
        var data = _streams.TakeBootstrap(CacheKeys.Of(host), request.MachineUid, _time.GetUtcNow())
            ?? await _desired.ReadAsync(machine.Namespace, claim.BootstrapDataSecret, context.CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.NotFound, "the machine's bootstrap data Secret does not exist (yet)"));
        data.Metadata = DesiredStateBuilder.Metadata(host, claim);
        if (_caches.MachineCache.Get(machine.Namespace, machine.Name!) is { Metadata.CreationTimestamp: { } created })
        {
            CoordinatorMetrics.CreationToDelivery.Record((_time.GetUtcNow() - created).TotalSeconds);
        }

        BootstrapDelivered(_logger, host.Metadata.Namespace, host.Metadata.Name, machine.Name);
        return data;
    }

    public void Dispose()
    {
        _registrar.Dispose();
        _budget.Dispose();
    }

    private static void RefuseDenied(MachineInventory host)
    {
        if (host.Spec?.Denied == true)
        {
            CoordinatorMetrics.AgentApiRejections.Add(1, new KeyValuePair<string, object?>("reason", "denied"));
            throw new RpcException(new Status(StatusCode.PermissionDenied, "an operator denied this host"));
        }
    }

    private async Task SendDesiredLoopAsync(AgentStream stream, IServerStreamWriter<CoordinatorMessage> responseStream, SemaphoreSlim writeLock, string? credentialHash)
    {
        var (namespaceName, name) = CacheKeys.Split(stream.HostKey);
        long sent = -1;
        try
        {
            while (!stream.Token.IsCancellationRequested)
            {
                var host = _caches.HostCache.Get(namespaceName, name);
                if (await RevocationAsync(host, namespaceName, name, credentialHash, stream.Token).ConfigureAwait(false) is { } revoked)
                {
                    // Re-keyed (the new holder has the record now), denied or deleted: this stream's credential is void.
                    stream.Revoke(revoked);
                    return;
                }

                var generation = host?.Status?.DesiredGeneration ?? 0;
                if (host is not null && generation > sent)
                {
                    var (desired, bootstrap) = await _desired.BuildAsync(host, stream.Token).ConfigureAwait(false);
                    if (desired is not null)
                    {
                        if (bootstrap is not null)
                        {
                            stream.HoldBootstrap(desired.Provision.MachineUid, bootstrap, _time.GetUtcNow() + BootstrapHandoffLifetime);
                        }

                        await SendAsync(responseStream, writeLock, new CoordinatorMessage { Desired = desired }, stream.Token).ConfigureAwait(false);
                        sent = generation;
                    }
                }

                // A missing Secret is looked for again later; any change to the host wakes us at once.
                using var retry = sent < generation ? new CancellationTokenSource(TimeSpan.FromSeconds(5), _time) : null;
                using var linked = retry is null ? null : CancellationTokenSource.CreateLinkedTokenSource(stream.Token, retry.Token);
                try
                {
                    await stream.WaitAsync(linked?.Token ?? stream.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (retry?.IsCancellationRequested == true && !stream.Token.IsCancellationRequested)
                {
                }
            }
        }
        catch (OperationCanceledException) when (stream.Token.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is RpcException or IOException or InvalidOperationException or KubeApiException or KubeConnectionException)
        {
            SendFailed(_logger, e, stream.HostKey);
            stream.Replace();
        }
    }

    /// <summary>Why a stream authenticated with <paramref name="credentialHash"/> must end now, or null while it stands.</summary>
    private async Task<Status?> RevocationAsync(MachineInventory? cached, string? namespaceName, string name, string? credentialHash, CancellationToken ct)
    {
        if (cached?.Spec?.Denied == true)
        {
            return new Status(StatusCode.PermissionDenied, "an operator denied this host");
        }

        if (cached is not null && cached.Status?.CredentialHash == credentialHash)
        {
            return null;
        }

        // The cache may still lag the registration this stream's credential came from: ask the source before ending it.
        try
        {
            var current = await _caches.Hosts.GetAsync(namespaceName, name, ct).ConfigureAwait(false);
            return current.Status?.CredentialHash == credentialHash
                ? null
                : new Status(StatusCode.Unauthenticated, "this host's credential was replaced (re-keyed); register again");
        }
        catch (KubeNotFoundException)
        {
            return new Status(StatusCode.Unauthenticated, "this host's record was deleted; register again");
        }
    }

    private async Task FlushAsync(HostReportWriter reports, string hostKey)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await reports.FlushAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or KubeConnectionException or OperationCanceledException)
        {
            SendFailed(_logger, e, hostKey);
        }
    }

    private static async Task ReceiveLoopAsync(IAsyncStreamReader<AgentMessage> requestStream, HostReportWriter reports, CancellationToken cancellationToken)
    {
        while (await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            var message = requestStream.Current;
            switch (message.BodyCase)
            {
                case AgentMessage.BodyOneofCase.State:
                    reports.Post(message.State);
                    break;
                case AgentMessage.BodyOneofCase.Inventory:
                    RegistrationLimits.Check(message.Inventory);
                    reports.Post(InventoryConversion.ToApi(message.Inventory));
                    break;
                case AgentMessage.BodyOneofCase.Heartbeat:
                    // Liveness is the stream itself; a heartbeat costs no write.
                    CoordinatorMetrics.Heartbeats.Add(1);
                    break;
                default:
                    throw new RpcException(new Status(StatusCode.InvalidArgument, "unexpected message on an open Sync stream"));
            }
        }
    }

    private async Task MarkDisconnectedAsync(MachineInventory host)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _writer.UpdateAsync(host.Metadata.Namespace, host.Metadata.Name!, h =>
            {
                if (h.Status!.ConnectedTo != _options.ReplicaId || _streams.IsOpen(CacheKeys.Of(h)))
                {
                    return false;
                }

                h.Status.ConnectedTo = null;
                h.Status.LastSeen = _time.GetUtcNow();
                return true;
            }, h => false, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or KubeConnectionException or OperationCanceledException)
        {
            // The replica Lease and the grace period cover a host we could not mark.
            SendFailed(_logger, e, CacheKeys.Of(host));
        }
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    private static RpcException Stopping() => new(new Status(StatusCode.Unavailable, "this coordinator replica is stopping; reconnect"));

    private static async Task SendAsync(IServerStreamWriter<CoordinatorMessage> writer, SemaphoreSlim writeLock, CoordinatorMessage message, CancellationToken ct)
    {
        await writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await writer.WriteAsync(message, ct).ConfigureAwait(false);
        }
        finally
        {
            writeLock.Release();
        }
    }

    [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "Bootstrap data of machine {Machine} delivered to host {Namespace}/{Host}")]
    private static partial void BootstrapDelivered(ILogger logger, string? @namespace, string? host, string? machine);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "Stream of host {Host} failed")]
    private static partial void SendFailed(ILogger logger, Exception exception, string host);
}
