using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ImmutableInfra.Agent.Vip;

/// <summary>
/// <see cref="ILeaseStore"/> over KubernetesClient (the AOT flavour). Each call is bounded by its caller's token
/// alone: the client adds no retries of its own and its HttpClient timeout is only an outer bound.
/// </summary>
internal sealed class KubernetesLeaseStore(IKubernetes client, string leaseNamespace, string leaseName) : ILeaseStore
{
    private const string MicroTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public Task<LeaseRecord?> GetAsync(CancellationToken cancellationToken) => CallAsync<LeaseRecord?>(async () =>
    {
        try
        {
            return Record(await client.CoordinationV1.ReadNamespacedLeaseAsync(leaseName, leaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false));
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    });

    public Task<LeaseRecord> CreateAsync(string holder, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken) => CallAsync(async () =>
    {
        var lease = new V1Lease
        {
            ApiVersion = "coordination.k8s.io/v1",
            Kind = "Lease",
            Metadata = new V1ObjectMeta { Name = leaseName, NamespaceProperty = leaseNamespace },
            Spec = new V1LeaseSpec
            {
                HolderIdentity = holder,
                LeaseDurationSeconds = DurationSeconds(duration),
                AcquireTime = now.UtcDateTime,
                RenewTime = now.UtcDateTime,
                LeaseTransitions = 0,
            },
        };
        return Record(await client.CoordinationV1.CreateNamespacedLeaseAsync(lease, leaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false));
    });

    public Task<LeaseRecord> AcquireAsync(LeaseRecord observed, string holder, int transitions, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken) =>
        PatchAsync(w =>
        {
            Test(w, "/metadata/resourceVersion", observed.ResourceVersion);
            Add(w, "/spec/holderIdentity", holder);
            Add(w, "/spec/leaseTransitions", transitions);
            Add(w, "/spec/leaseDurationSeconds", DurationSeconds(duration));
            Add(w, "/spec/acquireTime", now.UtcDateTime.ToString(MicroTimeFormat, CultureInfo.InvariantCulture));
            Add(w, "/spec/renewTime", now.UtcDateTime.ToString(MicroTimeFormat, CultureInfo.InvariantCulture));
        }, cancellationToken);

    public Task<LeaseRecord> RenewAsync(string holder, int transitions, DateTimeOffset now, CancellationToken cancellationToken) =>
        PatchAsync(w =>
        {
            TestHeldBy(w, holder, transitions);
            Add(w, "/spec/renewTime", now.UtcDateTime.ToString(MicroTimeFormat, CultureInfo.InvariantCulture));
        }, cancellationToken);

    public Task<LeaseRecord> ReleaseAsync(string holder, int transitions, DateTimeOffset now, CancellationToken cancellationToken) =>
        PatchAsync(w =>
        {
            // client-go's release: no holder, a 1 s duration, renewTime now; leaseTransitions stays.
            TestHeldBy(w, holder, transitions);
            Add(w, "/spec/holderIdentity", string.Empty);
            Add(w, "/spec/leaseDurationSeconds", 1);
            Add(w, "/spec/renewTime", now.UtcDateTime.ToString(MicroTimeFormat, CultureInfo.InvariantCulture));
        }, cancellationToken);

    private Task<LeaseRecord> PatchAsync(Action<Utf8JsonWriter> operations, CancellationToken cancellationToken) => CallAsync(async () =>
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            operations(writer);
            writer.WriteEndArray();
        }

        // A string body is sent as it is, with the JSON-patch content type.
        var patch = new V1Patch(Encoding.UTF8.GetString(buffer.WrittenSpan), V1Patch.PatchType.JsonPatch);
        return Record(await client.CoordinationV1.PatchNamespacedLeaseAsync(patch, leaseName, leaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false));
    });

    // The Lease still names this holder with this fencing token.
    private static void TestHeldBy(Utf8JsonWriter w, string holder, int transitions)
    {
        Test(w, "/spec/holderIdentity", holder);
        Test(w, "/spec/leaseTransitions", transitions);
    }

    private static void Test(Utf8JsonWriter w, string path, string value) => Operation(w, "test", path, () => w.WriteStringValue(value));

    private static void Test(Utf8JsonWriter w, string path, int value) => Operation(w, "test", path, () => w.WriteNumberValue(value));

    // "add" replaces a member that exists and creates one that does not (an omitted zero or empty value).
    private static void Add(Utf8JsonWriter w, string path, string value) => Operation(w, "add", path, () => w.WriteStringValue(value));

    private static void Add(Utf8JsonWriter w, string path, int value) => Operation(w, "add", path, () => w.WriteNumberValue(value));

    private static void Operation(Utf8JsonWriter w, string op, string path, Action value)
    {
        w.WriteStartObject();
        w.WriteString("op", op);
        w.WriteString("path", path);
        w.WritePropertyName("value");
        value();
        w.WriteEndObject();
    }

    private static int DurationSeconds(TimeSpan duration) => (int)Math.Ceiling(duration.TotalSeconds);

    private static LeaseRecord Record(V1Lease lease) =>
        new(string.IsNullOrEmpty(lease.Spec?.HolderIdentity) ? null : lease.Spec.HolderIdentity, lease.Spec?.LeaseTransitions ?? 0, lease.Metadata?.ResourceVersion ?? string.Empty);

    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response is { } response)
        {
            var status = (int)response.StatusCode;
            if (status is 409 or 422)
            {
                throw new LeaseConflictException(status, $"Lease precondition failed ({status}): {Trim(response.Content)}");
            }

            throw new LeaseApiException(status, $"apiserver answered {status}: {Trim(response.Content)}", RetryAfter(response), e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException or AuthenticationException)
        {
            throw new LeaseApiException(null, "no answer from the apiserver: " + e.Message, inner: e);
        }
    }

    // Retry-After in seconds (what the apiserver's priority and fairness sends), or an HTTP date.
    private static TimeSpan? RetryAfter(HttpResponseMessageWrapper response)
    {
        if (response.Headers is null || !response.Headers.TryGetValue("Retry-After", out var values) || values.FirstOrDefault() is not { } value)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at - DateTimeOffset.UtcNow : null;
    }

    private static string Trim(string? content) => content is null ? string.Empty : content.Length <= 200 ? content : content[..200];
}
