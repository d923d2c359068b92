using System.Buffers;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImmutableInfra.KubeApiServer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.KubeApiServer.Http;

/// <summary>Routes every request: faults, authentication, discovery, then the REST verbs of a kind.</summary>
internal sealed class ApiRequestHandler(
    ObjectStore store,
    ResourceTypeRegistry registry,
    InMemoryFaults faults,
    InMemoryAccessLog accessLog,
    InMemoryKubeApiServerOptions options,
    WatchStreamWriter watches,
    ILogger logger)
{
    private const string FlowSchemaHeader = "X-Kubernetes-PF-FlowSchema-UID";
    private const string PriorityLevelHeader = "X-Kubernetes-PF-PriorityLevel-UID";

    // Fixed, like the UIDs of a server's bootstrap "service-accounts" flow schema and "workload-low" level.
    private const string FlowSchemaUid = "5c4f2f7e-0d1b-4a53-9d3e-1f0c6c1b7a01";
    private const string PriorityLevelUid = "8e2a9d41-6b7c-4e0f-a1d2-3b4c5d6e7f02";

    private static readonly ApiError NotFound = new(HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource");

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            Admit(context);
            if (options.PriorityAndFairnessHeaders)
            {
                // What an API server with Priority and Fairness (the default since 1.20) tells every admitted
                // request: the flow schema and priority level that carried it. Clients read it to drop their own
                // rate limit. The queuing and shedding behind it are not emulated; injected 429s stand in for them.
                context.Response.Headers[FlowSchemaHeader] = FlowSchemaUid;
                context.Response.Headers[PriorityLevelHeader] = PriorityLevelUid;
            }

            await RouteAsync(context).ConfigureAwait(false);
        }
        catch (ApiError error)
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                InMemoryServerLog.Failed(logger, context.Request.Method, context.Request.Path.Value ?? "/", (int)error.Code, error.Reason);
            }

            if (!context.Response.HasStarted)
            {
                if (error.Code == HttpStatusCode.TooManyRequests)
                {
                    context.Response.Headers.RetryAfter = "0";
                }

                await StatusWriter.WriteAsync(context, error).ConfigureAwait(false);
            }
        }
    }

    private static string? BearerToken(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization[7..] : null;
    }

    // The verb RBAC would check for this request (deletecollection is not served).
    private static string Verb(string method, string? name, bool watch) => (method, name) switch
    {
        ("GET", null) => watch ? "watch" : "list",
        ("GET", _) => "get",
        ("POST", _) => "create",
        ("PUT", _) => "update",
        ("PATCH", _) => "patch",
        ("DELETE", _) => "delete",
        _ => method.ToLowerInvariant(),
    };

    private void Admit(HttpContext context)
    {
        var token = BearerToken(context);
        if (faults.TakeFailure() is { } failure)
        {
            if (failure.RetryAfterSeconds > 0)
            {
                context.Response.Headers.RetryAfter = failure.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var code = (HttpStatusCode)failure.Status;
            throw code == HttpStatusCode.TooManyRequests
                ? new ApiError(code, "TooManyRequests", "the server has received too many requests and has asked us to try again later")
                : new ApiError(code, "InternalError", "Internal error occurred: injected fault");
        }

        if (options.BearerTokens.Count > 0 && (token is null || !options.BearerTokens.Contains(token)))
        {
            throw new ApiError(HttpStatusCode.Unauthorized, "Unauthorized", "Unauthorized");
        }

        if (faults.IsDenied(token))
        {
            throw new ApiError(HttpStatusCode.Forbidden, "Forbidden", "forbidden: this client is denied by fault injection");
        }
    }

    private async Task RouteAsync(HttpContext context)
    {
        var segments = (context.Request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (segments)
        {
            case ["api"]:
                await WriteJsonAsync(context, 200, DiscoveryWriter.ApiVersions).ConfigureAwait(false);
                return;
            case ["apis"]:
                await WriteJsonAsync(context, 200, json => DiscoveryWriter.GroupList(json, registry.All())).ConfigureAwait(false);
                return;
            case ["api", "v1"]:
                await WriteJsonAsync(context, 200, json => DiscoveryWriter.ResourceList(json, "v1", registry.All().Where(t => t.Group.Length == 0))).ConfigureAwait(false);
                return;
            case ["apis", var group]:
                var groupTypes = registry.All().Where(t => t.Group == group).ToList();
                if (groupTypes.Count == 0)
                {
                    throw NotFound;
                }

                await WriteJsonAsync(context, 200, json => DiscoveryWriter.Group(json, group, groupTypes)).ConfigureAwait(false);
                return;
            case ["apis", var group, var version]:
                var types = registry.All().Where(t => t.Group == group && t.Version == version).ToList();
                if (types.Count == 0)
                {
                    throw NotFound;
                }

                await WriteJsonAsync(context, 200, json => DiscoveryWriter.ResourceList(json, $"{group}/{version}", types)).ConfigureAwait(false);
                return;
            case ["api", "v1", .. var rest] when rest.Length > 0:
                await ServeAsync(context, ApiRoute.Parse(registry, string.Empty, "v1", rest)).ConfigureAwait(false);
                return;
            case ["apis", var group, var version, .. var rest] when rest.Length > 0:
                await ServeAsync(context, ApiRoute.Parse(registry, group, version, rest)).ConfigureAwait(false);
                return;
            default:
                throw NotFound;
        }
    }

    private async Task ServeAsync(HttpContext context, ApiRoute route)
    {
        var request = context.Request;
        var query = request.Query;
        var status = route.Subresource == "status";
        accessLog.Record(new ApiAccess(BearerToken(context), Verb(request.Method, route.Name, query["watch"] is ["true" or "1"]), route.Type.Group,
            route.Subresource is null ? route.Type.Plural : $"{route.Type.Plural}/{route.Subresource}", route.Namespace));
        switch (request.Method, route.Name)
        {
            case ("GET", null) when query["watch"] is ["true" or "1"]:
                await watches.ServeAsync(context, route, query).ConfigureAwait(false);
                break;
            case ("GET", null):
                var limit = int.TryParse(query["limit"], out var l) ? l : (int?)null;
                var page = store.List(route.Type, route.Namespace, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]), limit, NullIfEmpty(query["continue"]));
                await WriteJsonAsync(context, 200, json => ListWriter.Write(json, route.Type, page)).ConfigureAwait(false);
                break;
            case ("GET", { } name):
                await WriteObjectAsync(context, 200, store.Get(route.Type, route.Namespace, name)).ConfigureAwait(false);
                break;
            case ("POST", null):
                var created = store.Create(route.Type, route.Namespace, await ReadBodyAsync(context).ConfigureAwait(false));
                await WriteObjectAsync(context, 201, created).ConfigureAwait(false);
                break;
            case ("PUT", { } name):
                var updated = store.Update(route.Type, route.Namespace, name, await ReadBodyAsync(context).ConfigureAwait(false), status);
                await WriteObjectAsync(context, 200, updated).ConfigureAwait(false);
                break;
            case ("PATCH", { } name):
                var contentType = request.ContentType?.Split(';')[0].Trim();
                if (contentType != "application/merge-patch+json")
                {
                    throw new ApiError(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/merge-patch+json");
                }

                var patched = store.Patch(route.Type, route.Namespace, name, await ReadBodyAsync(context).ConfigureAwait(false), status);
                await WriteObjectAsync(context, 200, patched).ConfigureAwait(false);
                break;
            case ("DELETE", { } name) when !status:
                var deleteOptions = request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0 ? await ReadBodyAsync(context).ConfigureAwait(false) : null;
                if (NullIfEmpty(query["propagationPolicy"]) is { } policy)
                {
                    deleteOptions ??= [];
                    deleteOptions["propagationPolicy"] = policy;
                }

                await WriteObjectAsync(context, 200, store.Delete(route.Type, route.Namespace, name, deleteOptions)).ConfigureAwait(false);
                break;
            default:
                throw new ApiError(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }
    }

    private async Task<JsonObject> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > options.MaxRequestBodyBytes)
            {
                throw new ApiError(HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge", "Request entity too large: limit is 3145728");
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return JsonNode.Parse(buffer.ToArray()) as JsonObject ?? throw ApiError.BadRequest("the request body is not a JSON object");
        }
        catch (JsonException e)
        {
            throw ApiError.BadRequest($"json: cannot unmarshal the request body: {e.Message}");
        }
    }

    private static Task WriteObjectAsync(HttpContext context, int code, StoredObject item)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(item.Json).AsTask();
    }

    private static Task WriteJsonAsync(HttpContext context, int code, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(buffer.WrittenMemory).AsTask();
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
