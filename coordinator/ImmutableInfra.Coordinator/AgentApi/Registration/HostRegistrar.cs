using System.Threading.RateLimiting;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Contract.V1;
using ImmutableInfra.Coordinator.Caching;
using ImmutableInfra.Coordinator.Controllers;
using ImmutableInfra.Coordinator.Hosting;
using ImmutableInfra.Coordinator.Hosts;
using ImmutableInfra.Coordinator.Observability;
using ImmutableInfra.Grpc;
using ImmutableInfra.Kubernetes.Cache;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;
using Microsoft.Extensions.Logging;
using Status = ImmutableInfra.Grpc.Status;

namespace ImmutableInfra.Coordinator.AgentApi.Registration;

/// <summary>
/// Register: who a registrant is, which record is its own, and when it may have a (new) credential. The identity
/// rules live here and nowhere else.
/// </summary>
internal sealed partial class HostRegistrar : IDisposable
{
    private readonly ResourceCaches _caches;
    private readonly HostStatusWriter _writer;
    private readonly AgentStreamRegistry _streams;
    private readonly EventRecorder _events;
    private readonly CoordinatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TokenBucketRateLimiter _registrations;

    public HostRegistrar(
        ResourceCaches caches, HostStatusWriter writer, AgentStreamRegistry streams, EventRecorder events,
        CoordinatorOptions options, TimeProvider time, ILogger logger)
    {
        _caches = caches;
        _writer = writer;
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
    }

    /// <summary>Enrolls the host the request describes, or finds its record again, and issues its credential.</summary>
    public async Task<RegisterResponse> RegisterAsync(RegisterRequest request, SyncSettings settings, CancellationToken ct)
    {
        using var lease = _registrations.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "too many registrations at once; retry with backoff"));
        }

        var (poolNamespace, poolName) = SplitPool(request.Pool);
        var identity = request.Identity ?? throw Invalid("identity is required");
        var uuid = identity.SystemUuid.Trim().ToLowerInvariant();
        var macs = identity.Macs.Select(m => m.Trim().ToLowerInvariant()).Where(m => m.Length > 0).Distinct().ToList();
        if (uuid.Length == 0 && macs.Count == 0)
        {
            throw Invalid("identity needs a system UUID or at least one MAC address");
        }

        var pool = _caches.PoolCache.Get(poolNamespace, poolName)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"pool {poolNamespace}/{poolName} does not exist"));
        if (!await PoolTokens.VerifyAsync(_caches.Secrets, pool, request.RegistrationToken, ct).ConfigureAwait(false))
        {
            CoordinatorMetrics.AgentApiRejections.Add(1, new KeyValuePair<string, object?>("reason", "bad_token"));
            RegistrationRejected(_logger, request.Pool, "registration token does not match the pool's");
            throw new RpcException(new Status(StatusCode.Unauthenticated, "registration token does not match the pool's"));
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
        CoordinatorMetrics.Registrations.Add(1);
        return new RegisterResponse { Namespace = poolNamespace, InventoryName = written.Metadata.Name, Credential = credential, Settings = settings };
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

    private static (string Namespace, string Name) SplitPool(string pool)
    {
        var slash = pool.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == pool.Length - 1 || pool.IndexOf('/', slash + 1) >= 0)
        {
            throw Invalid($"pool must be \"namespace/name\", got \"{pool}\"");
        }

        return (pool[..slash], pool[(slash + 1)..]);
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Host {Namespace}/{Host} registered (new: {New})")]
    private static partial void Registered(ILogger logger, string @namespace, string host, bool @new);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Registration to pool {Pool} rejected: {Reason}")]
    private static partial void RegistrationRejected(ILogger logger, string pool, string reason);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Error, Message = "Refused a second agent presenting the identity of connected host {Namespace}/{Host}")]
    private static partial void DuplicateIdentity(ILogger logger, string @namespace, string host);

    public void Dispose() => _registrations.Dispose();
}
