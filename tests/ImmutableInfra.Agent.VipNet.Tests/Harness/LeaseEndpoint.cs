using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.VipNet.Harness;

/// <summary>
/// The lab's apiserver, for Leases only: GET, POST and JSON-patch PATCH (test/add/replace, applied atomically
/// with a new resourceVersion, a failed test answered 422 as the apiserver does), on Kestrel. Faults for every
/// request: a delay before it is served, and a fraction answered 429 with <c>Retry-After: 1</c> (what the
/// apiserver's priority and fairness sends). Harness-local so the faults sit exactly where the arbiter meets the API.
/// </summary>
internal sealed class LeaseEndpoint : IAsyncDisposable
{
    private const string Prefix = "/apis/coordination.k8s.io/v1/namespaces/{ns}/leases";
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, JsonObject> _leases = [];
    private readonly Random _random = new(19);
    private long _version = 1000;
    private long _latencyTicks;
    private double _throttled;

    private LeaseEndpoint(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Added before every request is served.</summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, value.Ticks);
    }

    /// <summary>The fraction of requests answered 429.</summary>
    public double ThrottledFraction
    {
        get => Volatile.Read(ref _throttled);
        set => Volatile.Write(ref _throttled, value);
    }

    public long Requests { get; private set; }

    public long Throttled { get; private set; }

    public static async Task<LeaseEndpoint> StartAsync(IPAddress address)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(address, 0));
        var app = builder.Build();
        var endpoint = new LeaseEndpoint(app);
        app.Use(endpoint.FaultsAsync);
        app.MapGet(Prefix + "/{name}", (string ns, string name) => endpoint.Get(ns, name));
        app.MapPost(Prefix, async (string ns, HttpRequest request) => endpoint.Create(ns, await ReadAsync(request)));
        app.MapMethods(Prefix + "/{name}", ["PATCH"], async (string ns, string name, HttpRequest request) => endpoint.Patch(ns, name, await ReadAsync(request)));
        await app.StartAsync();
        endpoint.Url = new Uri(app.Urls.First());
        return endpoint;
    }

    /// <summary>The holder the store has now (null: none or no Lease).</summary>
    public string? HolderOf(string ns, string name)
    {
        lock (_lock)
        {
            return _leases.TryGetValue(ns + "/" + name, out var lease) && lease["spec"]?["holderIdentity"]?.GetValue<string>() is { Length: > 0 } holder ? holder : null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task FaultsAsync(HttpContext context, RequestDelegate next)
    {
        var latency = Latency;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, context.RequestAborted);
        }

        bool throttle;
        lock (_lock)
        {
            Requests++;
            throttle = _random.NextDouble() < ThrottledFraction;
            Throttled += throttle ? 1 : 0;
        }

        if (throttle)
        {
            context.Response.Headers.RetryAfter = "1";
            await Status(429, "TooManyRequests", "too many requests, please try again later").ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private IResult Get(string ns, string name)
    {
        lock (_lock)
        {
            return _leases.TryGetValue(ns + "/" + name, out var lease) ? Json(200, lease) : Status(404, "NotFound", $"leases.coordination.k8s.io \"{name}\" not found");
        }
    }

    private IResult Create(string ns, JsonNode? body)
    {
        if (body is not JsonObject lease || lease["metadata"]?["name"]?.GetValue<string>() is not { Length: > 0 } name)
        {
            return Status(400, "BadRequest", "a Lease with metadata.name is required");
        }

        lock (_lock)
        {
            var key = ns + "/" + name;
            if (_leases.ContainsKey(key))
            {
                return Status(409, "AlreadyExists", $"leases.coordination.k8s.io \"{name}\" already exists");
            }

            lease["metadata"]!["namespace"] = ns;
            lease["metadata"]!["resourceVersion"] = (++_version).ToString(CultureInfo.InvariantCulture);
            _leases[key] = lease;
            return Json(201, lease);
        }
    }

    private IResult Patch(string ns, string name, JsonNode? body)
    {
        if (body is not JsonArray operations)
        {
            return Status(400, "BadRequest", "a JSON patch (an array of operations) is required");
        }

        lock (_lock)
        {
            if (!_leases.TryGetValue(ns + "/" + name, out var current))
            {
                return Status(404, "NotFound", $"leases.coordination.k8s.io \"{name}\" not found");
            }

            var patched = (JsonObject)current.DeepClone();
            foreach (var operation in operations)
            {
                var op = operation?["op"]?.GetValue<string>();
                var path = operation?["path"]?.GetValue<string>()?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
                var value = operation?["value"];
                if (path.Length == 0 || Parent(patched, path) is not { } parent)
                {
                    return Status(422, "Invalid", $"path {operation?["path"]} does not exist");
                }

                switch (op)
                {
                    case "test" when !JsonNode.DeepEquals(parent[path[^1]], value):
                        return Status(422, "Invalid", $"testing value {operation?["path"]} failed");
                    case "test":
                        break;
                    case "add" or "replace":
                        parent[path[^1]] = value?.DeepClone();
                        break;
                    default:
                        return Status(400, "BadRequest", $"unsupported operation {op}");
                }
            }

            patched["metadata"]!["resourceVersion"] = (++_version).ToString(CultureInfo.InvariantCulture);
            _leases[ns + "/" + name] = patched;
            return Json(200, patched);
        }
    }

    private static JsonObject? Parent(JsonObject root, string[] path)
    {
        JsonObject? node = root;
        foreach (var segment in path[..^1])
        {
            node = node?[segment] as JsonObject;
        }

        return node;
    }

    private static async Task<JsonNode?> ReadAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult Json(int code, JsonNode body) => Results.Text(body.ToJsonString(), "application/json", statusCode: code);

    private static IResult Status(int code, string reason, string message) => Json(code, new JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    });
}
