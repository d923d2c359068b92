using System.Threading.RateLimiting;
using Google.Protobuf.WellKnownTypes;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Contract.V1;
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
    private readonly EventRecorder _events;
    private readonly CoordinatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TokenBucketRateLimiter _registrations;

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
        _events = events;
        _options = options;
        _time = time;
        _logger = logger;
        _registrations = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.RegistrationBurst,
            TokensPerPeriod = Math.Max(1, (int)Math.Round(options.RegistrationsPerSecond / 10)),
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
        caches.HostCache.AddHandler(new ResourceChangeHandler<MachineInventory>(
            onUpdate: (_, host) => streams.Wake(CacheKeys.Of(host))));
    }

    private SyncSettings Settings => new()
    {
        HeartbeatInterval = Duration.FromTimeSpan(_options.AgentHeartbeatInterval),
        MaxReconnectBackoff = Duration.FromTimeSpan(_options.AgentMaxReconnectBackoff),
    };

    public override async Task<RegisterResponse> Register(RegisterRequest request, ServerCallContext context)
    {
        using var lease = _registrations.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "too many registrations at once; retry with backoff"));
        }

        var ct = context.CancellationToken;
        var pool = context.Pool();
        var poolNamespace = pool.Metadata.Namespace!;
        var identity = request.Identity ?? throw Invalid("identity is required");
        var uuid = identity.SystemUuid.Trim().ToLowerInvariant();
        var macs = identity.Macs.Select(m => m.Trim().ToLowerInvariant()).Where(m => m.Length > 0).Distinct().ToList();
        if (uuid.Length == 0 && macs.Count == 0)
        {
            throw Invalid("identity needs a system UUID or at least one MAC address");
        }

        var keys = new List<string>();
        if (uuid.Length > 0)
        {
            keys.Add("uuid:" + uuid);
        }

        keys.AddRange(macs.Select(m => "mac:" + m));
        var matches = keys.SelectMany(k => _caches.HostCache.ByIndex(ResourceCaches.HostsByIdentity, k))
            .Where(h => h.Metadata.Namespace == poolNamespace)
            .DistinctBy(h => h.Metadata.Uid)
            .ToList();
        if (matches.Count > 1)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"identity matches several hosts ({string.Join(", ", matches.Select(h => h.Metadata.Name))}); an operator must resolve it"));
        }

        var inventory = request.Inventory is null ? null : InventoryConversion.ToApi(request.Inventory);
        var name = matches.Count == 1 ? matches[0].Metadata.Name! : InventoryNames.For(identity.Hostname, uuid, macs);
        if (matches.Count == 0)
        {
            await CreateHostAsync(pool, name, uuid, macs, keys, identity.Serial, request, ct).ConfigureAwait(false);
        }
        else if (IsConnectedElsewhere(matches[0]))
        {
            // A second machine presenting a live host's identity is a cloned image or a spoof: refuse it loudly
            // instead of letting the last one win (and take over the first one's machine).
            _events.Warning(matches[0], InfrastructureResources.MachineInventories.Kind, "DuplicateIdentity",
                "A second agent registered with this host's identity while the host is connected; refused.");
            DuplicateIdentity(_logger, poolNamespace, name);
            throw new RpcException(new Status(StatusCode.AlreadyExists,
                $"host {poolNamespace}/{name} with this identity is connected now; refusing a second host with the same identity"));
        }

        var credential = HostCredential.Issue(poolNamespace, name);
        var hash = HostCredential.Hash(credential);
        var written = await _writer.UpdateAsync(poolNamespace, name, host =>
        {
            var status = host.Status!;
            status.CredentialHash = hash;
            status.Inventory = inventory ?? status.Inventory;
            status.AgentVersion = request.AgentVersion;
            status.LastSeen = _time.GetUtcNow();
            return true;
        }, offline: null, ct).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.Unavailable, "the host record disappeared during registration; retry"));
        Registered(_logger, poolNamespace, name, matches.Count == 0);
        return new RegisterResponse { Namespace = poolNamespace, InventoryName = written.Metadata.Name, Credential = credential, Settings = Settings };
    }

    public override async Task Sync(IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<CoordinatorMessage> responseStream, ServerCallContext context)
    {
        var host = context.Host();
        var hostKey = CacheKeys.Of(host);
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
        try
        {
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

            var sender = SendDesiredLoopAsync(stream, responseStream, writeLock);
            try
            {
                await ReceiveLoopAsync(requestStream, host, stream.Token).ConfigureAwait(false);
            }
            finally
            {
                stream.End();
                await sender.ConfigureAwait(false);
            }
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

    public void Dispose() => _registrations.Dispose();

    private async Task SendDesiredLoopAsync(AgentStream stream, IServerStreamWriter<CoordinatorMessage> responseStream, SemaphoreSlim writeLock)
    {
        var (namespaceName, name) = CacheKeys.Split(stream.HostKey);
        long sent = -1;
        try
        {
            while (!stream.Token.IsCancellationRequested)
            {
                var host = _caches.HostCache.Get(namespaceName, name);
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

    private async Task ReceiveLoopAsync(IAsyncStreamReader<AgentMessage> requestStream, MachineInventory host, CancellationToken cancellationToken)
    {
        var namespaceName = host.Metadata.Namespace;
        var name = host.Metadata.Name!;
        while (await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            var message = requestStream.Current;
            switch (message.BodyCase)
            {
                case AgentMessage.BodyOneofCase.State:
                    var observed = message.State;
                    await _writer.UpdateAsync(namespaceName, name, h => ObservedStateApplier.Apply(h.Status!, observed), h => false, cancellationToken).ConfigureAwait(false);
                    break;
                case AgentMessage.BodyOneofCase.Inventory:
                    ApiHostInventory inventory = InventoryConversion.ToApi(message.Inventory);
                    await _writer.UpdateAsync(namespaceName, name, h =>
                    {
                        h.Status!.Inventory = inventory;
                        return true;
                    }, h => false, cancellationToken).ConfigureAwait(false);
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

    private async Task CreateHostAsync(
        MachineInventoryPool pool, string name, string uuid, List<string> macs, List<string> identityKeys, string serial, RegisterRequest request, CancellationToken ct)
    {
        var labels = new Dictionary<string, string>(pool.Spec?.Defaults?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in request.Labels)
        {
            if (!LabelSyntax.IsValidKey(key) || !LabelSyntax.IsValidValue(value))
            {
                throw Invalid($"label {key}={value} is not a valid Kubernetes label");
            }

            labels[key] = value;
        }

        var host = new MachineInventory
        {
            ApiVersion = InfrastructureResources.MachineInventories.ApiVersion,
            Kind = InfrastructureResources.MachineInventories.Kind,
            Metadata = new ObjectMeta { Name = name, Namespace = pool.Metadata.Namespace, Labels = labels },
            Spec = new MachineInventorySpec
            {
                Identity = new Api.V1Beta1.HostIdentity { SystemUuid = uuid.Length > 0 ? uuid : null, Macs = macs, Serial = serial.Length > 0 ? serial : null },
                PoolRef = new LocalObjectReference { Name = pool.Metadata.Name },
                Approved = pool.Spec?.Registration?.AutoApprove ?? true,
                FailureDomain = labels.GetValueOrDefault(WellKnownLabels.Zone),
            },
        };
        try
        {
            await _caches.Hosts.CreateAsync(host, ct).ConfigureAwait(false);
            _events.Normal(host, InfrastructureResources.MachineInventories.Kind, "Registered",
                $"Host registered through pool {pool.Metadata.Name}");
        }
        catch (KubeAlreadyExistsException)
        {
            // The same host registering twice at once, or a name taken by another identity.
            var existing = await _caches.Hosts.GetAsync(pool.Metadata.Namespace, name, ct).ConfigureAwait(false);
            var sameHost = ResourceCaches.IdentityKeys(existing).Intersect(identityKeys).Any();
            if (!sameHost)
            {
                throw new RpcException(new Status(StatusCode.AlreadyExists, $"a different host already uses the name {name}"));
            }
        }
    }

    private bool IsConnectedElsewhere(MachineInventory host) =>
        host.Status?.ConnectedTo is { Length: > 0 } replica
        && (replica == _options.ReplicaId
            ? _streams.IsOpen(CacheKeys.Of(host))
            : ReplicaLeases.IsAlive(_caches, _caches.CoordinatorNamespace, replica, _time.GetUtcNow(), out _));

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

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Host {Namespace}/{Host} registered (new: {New})")]
    private static partial void Registered(ILogger logger, string @namespace, string host, bool @new);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Error, Message = "Refused a second agent presenting the identity of connected host {Namespace}/{Host}")]
    private static partial void DuplicateIdentity(ILogger logger, string @namespace, string host);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "Bootstrap data of machine {Machine} delivered to host {Namespace}/{Host}")]
    private static partial void BootstrapDelivered(ILogger logger, string? @namespace, string? host, string? machine);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "Stream of host {Host} failed")]
    private static partial void SendFailed(ILogger logger, Exception exception, string host);
}
