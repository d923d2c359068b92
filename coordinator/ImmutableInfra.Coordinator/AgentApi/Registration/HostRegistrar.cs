using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Contract.V1;
using ImmutableInfra.Coordinator.Caching;
using ImmutableInfra.Coordinator.Controllers;
using ImmutableInfra.Coordinator.Hosting;
using ImmutableInfra.Coordinator.Hosts;
using ImmutableInfra.Coordinator.Observability;
using Grpc.Core;
using ImmutableInfra.Kubernetes.Cache;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;
using Microsoft.Extensions.Logging;
using Status = Grpc.Core.Status;

namespace ImmutableInfra.Coordinator.AgentApi.Registration;

/// <summary>
/// Register: who a registrant is, which record is its own, and when it may have a (new) credential. The identity
/// rules are <see cref="IdentityRules"/>; this class orders the checks so that the cheap and unauthenticated ones
/// come first (per-source budget, request bounds, pool and token), the shared budget is spent only by holders of a
/// pool's token, and nothing is written unless the whole registration can succeed.
/// </summary>
internal sealed partial class HostRegistrar : IDisposable
{
    private const string Kind = "MachineInventory";

    // Names tried for a new host before giving up: the first is its identity's hash, the others its hash with a counter.
    // Eight 64-bit suffixes all taken by other identities would take a deliberate collision search of 2^64 hashes each.
    private const int NameAttempts = 8;

    // A refusal's Warning Event is repeated at most this often per host and reason; the metric counts every one.
    private static readonly TimeSpan RefusalEventInterval = TimeSpan.FromMinutes(1);
    private const int MaxRememberedRefusals = 10_000;

    private readonly ResourceCaches _caches;
    private readonly HostStatusWriter _writer;
    private readonly AgentStreamRegistry _streams;
    private readonly EventRecorder _events;
    private readonly CoordinatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PoolTokenCheck _tokens;
    private readonly TokenBucketRateLimiter _registrations;
    private readonly PartitionedRateLimiter<string> _perSource;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _refusalEvents = new(StringComparer.Ordinal);

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
        _tokens = new PoolTokenCheck(caches, time);
        _registrations = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.RegistrationBurst,
            TokensPerPeriod = Math.Max(1, (int)Math.Round(options.RegistrationsPerSecond / 10)),
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
        // Idle sources' buckets are dropped by the partitioned limiter itself, so the map stays as small as the set of
        // sources calling now.
        _perSource = PartitionedRateLimiter.Create<string, string>(source => RateLimitPartition.GetTokenBucketLimiter(source, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.RegistrationBurstPerSource,
            TokensPerPeriod = Math.Max(1, (int)Math.Round(options.RegistrationsPerSecondPerSource)),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Enrolls the host the request describes, or finds its record again, and issues its credential.</summary>
    public async Task<RegisterResponse> RegisterAsync(RegisterRequest request, string peer, SyncSettings settings, CancellationToken ct)
    {
        // Counted per source before anything else: a flood from one address spends that address's budget only.
        var source = SourceAddress.KeyOf(peer);
        using var sourceLease = _perSource.AttemptAcquire(source);
        if (!sourceLease.IsAcquired)
        {
            Reject("source_rate");
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "too many registrations from this address; retry with backoff"));
        }

        // Everything that can be wrong with the request itself is found before a read or a write.
        var (poolNamespace, poolName) = SplitPool(request.Pool);
        RegistrationLimits.Check(request);
        var identity = request.Identity;
        var registrant = new Registrant(
            RegistrationLimits.Normalize(identity.SystemUuid),
            [.. identity.Macs.Select(RegistrationLimits.Normalize).Where(m => m.Length > 0).Distinct()],
            RegistrationLimits.Normalize(identity.Serial),
            request.Credential,
            source);
        if (registrant.Uuid.Length == 0 && registrant.Macs.Count == 0)
        {
            throw Invalid("identity needs a system UUID or at least one MAC address");
        }

        var pool = await _tokens.VerifyAsync(poolNamespace, poolName, request.RegistrationToken, ct).ConfigureAwait(false);
        if (pool is null)
        {
            // One answer for "no such pool" and "wrong token": pool names cannot be probed without a token.
            Reject("bad_token");
            RegistrationRejected(_logger, request.Pool, source, "no such pool, or the registration token does not match");
            throw new RpcException(new Status(StatusCode.Unauthenticated, "the pool does not exist or the registration token does not match it"));
        }

        var labels = Labels(pool, request);

        // The shared budget protects the API server; only a token holder gets this far, so bad tokens cannot spend it.
        using var lease = _registrations.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            Reject("busy");
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "too many registrations at once; retry with backoff"));
        }

        // Matching stays inside the token's own pool: a pool's token says nothing about another pool's hosts.
        var matches = registrant.IdentityKeys
            .SelectMany(k => _caches.HostCache.ByIndex(ResourceCaches.HostsByIdentity, k))
            .Where(h => h.Metadata.Namespace == poolNamespace && h.Spec?.PoolRef?.Name == poolName)
            .DistinctBy(h => h.Metadata.Uid)
            .ToList();
        var autoApprove = pool.Spec?.Registration?.AutoApprove ?? true;
        var decision = IdentityRules.Decide(registrant, matches, autoApprove, _time.GetUtcNow(), IsConnectedElsewhere);
        switch (decision)
        {
            case RegistrationDecision.Refuse refusal:
                await RefuseAsync(refusal, registrant, ct).ConfigureAwait(false);
                throw new RpcException(new Status(refusal.Code, refusal.Message));
            case RegistrationDecision.Issue issue:
                return await IssueAsync(issue.Host, issue.How, registrant, request, settings, ct).ConfigureAwait(false);
            default:
                var created = await CreateHostAsync(pool, registrant, identity.Hostname, labels, autoApprove, ct).ConfigureAwait(false);
                return await IssueAsync(created, null, registrant, request, settings, ct).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _registrations.Dispose();
        _perSource.Dispose();
    }

    /// <summary>
    /// Writes the new credential's hash with the registrant's facts, if the record's credential is still the one the
    /// decision was made on (a concurrent registration of the same record gets UNAVAILABLE and decides again).
    /// <paramref name="grounds"/> is null for a record this registration just made; if that write fails, the record
    /// is deleted again, so no record is left without a credential by a failed call (a crash in between leaves one
    /// that <see cref="IssueGrounds.Unfinished"/> completes: nothing was handed out for it).
    /// </summary>
    private async Task<RegisterResponse> IssueAsync(
        MachineInventory host, IssueGrounds? grounds, Registrant registrant, RegisterRequest request, SyncSettings settings, CancellationToken ct)
    {
        var namespaceName = host.Metadata.Namespace;
        var name = host.Metadata.Name!;
        var credential = HostCredential.Issue(namespaceName!, name);
        var hash = HostCredential.Hash(credential);
        var decidedOn = host.Status?.CredentialHash;
        var inventory = request.Inventory is null ? null : InventoryConversion.ToApi(request.Inventory);
        var superseded = false;
        MachineInventory? written;
        try
        {
            written = await _writer.UpdateAsync(namespaceName, name, h =>
            {
                var status = h.Status!;
                if (h.Metadata.Uid != host.Metadata.Uid || status.CredentialHash != decidedOn)
                {
                    superseded = true;
                    return false;
                }

                status.CredentialHash = hash;
                status.CredentialIssuedAt = _time.GetUtcNow();
                if (grounds == IssueGrounds.OperatorApproval)
                {
                    status.RekeyApprovalUsed = h.Spec?.RekeyApprovedAt;
                }
                status.RekeyRequest = null;
                status.Inventory = inventory ?? status.Inventory;
                status.AgentVersion = request.AgentVersion;
                status.LastSeen = _time.GetUtcNow();
                return true;
            }, offline: null, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (grounds is null && e is KubeApiException or KubeConnectionException or OperationCanceledException)
        {
            await RollBackAsync(host).ConfigureAwait(false);
            throw new RpcException(new Status(StatusCode.Unavailable, "the host record could not be completed and was removed again; retry"));
        }

        if (written is null || superseded)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "the host record changed during registration; retry"));
        }

        if (grounds is null or IssueGrounds.Unfinished)
        {
            _events.Normal(written, Kind, "Registered", $"Host registered through pool {host.Spec?.PoolRef?.Name} from {registrant.Source}");
        }
        else
        {
            // Always loud: whoever held the old credential has just lost it.
            _events.Warning(written, Kind, "Rekeyed", $"Host re-keyed ({Describe(grounds.Value)}) for a registrant from {registrant.Source}; "
                + "the previous credential no longer works and its open stream was ended");
            CoordinatorMetrics.Rekeys.Add(1, new KeyValuePair<string, object?>("grounds", grounds.Value.ToString()));
            Rekeyed(_logger, namespaceName, name, grounds.Value.ToString(), registrant.Source);
        }

        Registered(_logger, namespaceName, name, grounds is null);
        CoordinatorMetrics.Registrations.Add(1);
        return new RegisterResponse { Namespace = namespaceName, InventoryName = name, Credential = credential, Settings = settings };
    }

    private async Task<MachineInventory> CreateHostAsync(
        MachineInventoryPool pool, Registrant registrant, string hostname, Dictionary<string, string> labels, bool autoApprove, CancellationToken ct)
    {
        for (var attempt = 0; attempt < NameAttempts; attempt++)
        {
            var host = new MachineInventory
            {
                ApiVersion = InfrastructureResources.MachineInventories.ApiVersion,
                Kind = InfrastructureResources.MachineInventories.Kind,
                Metadata = new ObjectMeta
                {
                    Name = InventoryNames.For(hostname, registrant.Uuid, registrant.Macs, attempt), Namespace = pool.Metadata.Namespace, Labels = labels,
                },
                Spec = new MachineInventorySpec
                {
                    Identity = new Api.V1Beta1.HostIdentity
                    {
                        SystemUuid = registrant.Uuid.Length > 0 ? registrant.Uuid : null, Macs = [.. registrant.Macs],
                        Serial = registrant.Serial.Length > 0 ? registrant.Serial : null,
                    },
                    PoolRef = new LocalObjectReference { Name = pool.Metadata.Name },
                    Approved = autoApprove,
                    FailureDomain = labels.GetValueOrDefault(WellKnownLabels.Zone),
                },
            };
            try
            {
                return await _caches.Hosts.CreateAsync(host, ct).ConfigureAwait(false);
            }
            catch (KubeAlreadyExistsException)
            {
                var existing = await _caches.Hosts.GetAsync(pool.Metadata.Namespace, host.Metadata.Name, ct).ConfigureAwait(false);
                if (existing.Spec?.PoolRef?.Name == pool.Metadata.Name && ResourceCaches.IdentityKeys(existing).Intersect(registrant.IdentityKeys).Any())
                {
                    // The same identity registering twice at once: the other call made it; this one decides again.
                    throw new RpcException(new Status(StatusCode.Unavailable, $"a registration of this identity ({host.Metadata.Name}) is in progress; retry"));
                }

                // Another identity (or this one in another pool) holds the name: a hash collision, a name squatted on
                // purpose, a host enrolled in two pools. Take the next one instead of refusing an innocent host for good.
                NameTaken(_logger, pool.Metadata.Namespace, host.Metadata.Name!);
            }
        }

        throw new RpcException(new Status(StatusCode.Unavailable, $"{NameAttempts} names for this host are held by other identities; an operator should look at the pool's records"));
    }

    /// <summary>A Warning Event on the record concerned (at most once a minute per host and reason), a metric, a log line.</summary>
    private async Task RefuseAsync(RegistrationDecision.Refuse refusal, Registrant registrant, CancellationToken ct)
    {
        Reject(refusal.Reason);
        CoordinatorMetrics.IdentityRefusals.Add(1, new KeyValuePair<string, object?>("reason", refusal.Reason));
        RegistrationRefused(_logger, refusal.Host?.Metadata.Namespace, refusal.Host?.Metadata.Name, refusal.Reason, registrant.Source, registrant.Uuid);
        if (refusal.Host is not { } host)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var key = CacheKeys.Of(host) + "/" + refusal.Reason;
        if (_refusalEvents.TryGetValue(key, out var last) && now - last < RefusalEventInterval)
        {
            return;
        }

        if (_refusalEvents.Count >= MaxRememberedRefusals)
        {
            _refusalEvents.Clear();
        }

        _refusalEvents[key] = now;
        _events.Warning(host, Kind, refusal.Reason, $"Registration from {registrant.Source} (system UUID {Or(registrant.Uuid)}) refused: {refusal.Message}");
        if (refusal.WaitsForOperator)
        {
            // Shown by `hosts list` and `hosts show`, so an operator sees who waits and why.
            await _writer.UpdateAsync(host.Metadata.Namespace, host.Metadata.Name!, h =>
            {
                h.Status!.RekeyRequest = new RekeyRequest { RequestedAt = now, Reason = refusal.Message, Source = registrant.Source };
                return true;
            }, offline: null, ct).ConfigureAwait(false);
        }
    }

    private async Task RollBackAsync(MachineInventory host)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10), _time);
        try
        {
            await _caches.Hosts.DeleteAsync(host.Metadata.Namespace, host.Metadata.Name!,
                new DeleteOptions { Preconditions = new Preconditions { Uid = host.Metadata.Uid } }, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or KubeConnectionException or OperationCanceledException)
        {
            // Left without a credential: no one can use it, and the host's next registration completes it (Unfinished).
            RollBackFailed(_logger, e, host.Metadata.Namespace, host.Metadata.Name);
        }
    }

    private static Dictionary<string, string> Labels(MachineInventoryPool pool, RegisterRequest request)
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

        return labels;
    }

    private bool IsConnectedElsewhere(MachineInventory host) =>
        host.Status?.ConnectedTo is { Length: > 0 } replica
        && (replica == _options.ReplicaId
            ? _streams.IsOpen(CacheKeys.Of(host))
            : ReplicaLeases.IsAlive(_caches, _caches.CoordinatorNamespace, replica, _time.GetUtcNow(), out _));

    private static string Describe(IssueGrounds grounds) => grounds switch
    {
        IssueGrounds.OldCredential => "the registrant presented the host's current credential",
        IssueGrounds.OperatorApproval => "an operator approved it",
        _ => "unclaimed host of a pool that auto-approves, identity agreeing",
    };

    private static string Or(string value) => value.Length > 0 ? value : "none";

    private static void Reject(string reason) =>
        CoordinatorMetrics.AgentApiRejections.Add(1, new KeyValuePair<string, object?>("reason", reason));

    private static (string Namespace, string Name) SplitPool(string pool)
    {
        var slash = pool.IndexOf('/', StringComparison.Ordinal);
        if (pool.Length > 2 * 253 + 1 || slash <= 0 || slash == pool.Length - 1 || pool.IndexOf('/', slash + 1) >= 0)
        {
            throw Invalid($"pool must be \"namespace/name\", got \"{(pool.Length > 64 ? pool[..64] + "..." : pool)}\"");
        }

        return (pool[..slash], pool[(slash + 1)..]);
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Host {Namespace}/{Host} registered (new: {New})")]
    private static partial void Registered(ILogger logger, string? @namespace, string host, bool @new);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Registration to pool {Pool} from {Source} rejected: {Reason}")]
    private static partial void RegistrationRejected(ILogger logger, string pool, string source, string reason);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Registration for host {Namespace}/{Host} refused ({Reason}) from {Source}, system UUID {SystemUuid}")]
    private static partial void RegistrationRefused(ILogger logger, string? @namespace, string? host, string reason, string source, string systemUuid);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Warning, Message = "Host {Namespace}/{Host} re-keyed ({Grounds}) for a registrant from {Source}")]
    private static partial void Rekeyed(ILogger logger, string? @namespace, string host, string grounds, string source);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Warning, Message = "Name {Namespace}/{Host} is held by another identity; trying the next one")]
    private static partial void NameTaken(ILogger logger, string? @namespace, string host);

    [LoggerMessage(EventId = 5108, Level = LogLevel.Error, Message = "Could not remove the unfinished record {Namespace}/{Host}")]
    private static partial void RollBackFailed(ILogger logger, Exception exception, string? @namespace, string? host);
}
