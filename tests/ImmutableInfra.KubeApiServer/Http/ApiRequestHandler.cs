using System.Buffers;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImmutableInfra.KubeApiServer.Storage;
using ImmutableInfra.KubeApiServer.Tables;
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
    TimeProvider time,
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
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidCastException or KeyNotFoundException or ArgumentException)
        {
            // A request shape the server did not expect: answer as the real server answers a panic, not with a bare 500.
            InMemoryServerLog.Unexpected(logger, context.Request.Method, context.Request.Path.Value ?? "/", e);
            if (!context.Response.HasStarted)
            {
                await StatusWriter.WriteAsync(context, new ApiError(HttpStatusCode.InternalServerError, "InternalError", $"Internal error occurred: {e.Message}")).ConfigureAwait(false);
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
            case ["version"]:
                await WriteJsonAsync(context, 200, json => VersionInfo.Document().WriteTo(json)).ConfigureAwait(false);
                return;
            case ["healthz" or "readyz" or "livez", ..]:
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("ok", context.RequestAborted).ConfigureAwait(false);
                return;
            case ["openapi", "v2"]:
                RequireJson(context);
                await WriteJsonAsync(context, 200, json => OpenApiWriter.Swagger(registry.All()).WriteTo(json)).ConfigureAwait(false);
                return;
            case ["openapi", "v3"]:
                RequireJson(context);
                await WriteJsonAsync(context, 200, json => OpenApiWriter.Index(registry.All()).WriteTo(json)).ConfigureAwait(false);
                return;
            case ["openapi", "v3", .. var path]:
                RequireJson(context);
                var served = registry.All().Where(t => OpenApiWriter.PathOf(t) == string.Join('/', path)).ToList();
                if (served.Count == 0)
                {
                    throw NotFound;
                }

                await WriteJsonAsync(context, 200, json => OpenApiWriter.GroupVersion(served).WriteTo(json)).ConfigureAwait(false);
                return;
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

    // Clients ask for OpenAPI as protobuf first and fall back to JSON on 406, as a JSON-only server answers.
    private static void RequireJson(HttpContext context)
    {
        var accept = context.Request.Headers.Accept.ToString();
        if (accept.Length > 0 && !accept.Contains("json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("*/*", StringComparison.Ordinal))
        {
            throw new ApiError(HttpStatusCode.NotAcceptable, "NotAcceptable", "only the following media types are accepted: application/json");
        }
    }

    private async Task ServeAsync(HttpContext context, ApiRoute route)
    {
        var request = context.Request;
        var query = request.Query;
        var status = route.Subresource == "status";
        var watch = IsTrue(query["watch"]);
        accessLog.Record(new ApiAccess(BearerToken(context), Verb(request.Method, route.Name, watch), route.Type.Group,
            route.Subresource is null ? route.Type.Plural : $"{route.Type.Plural}/{route.Subresource}", route.Namespace));
        var table = TableWriter.Wanted(request.Headers.Accept);
        switch (request.Method, route.Name)
        {
            case ("GET", null) when watch:
                await watches.ServeAsync(context, route, query).ConfigureAwait(false);
                break;
            case ("GET", null):
                var limit = int.TryParse(query["limit"], out var l) ? l : (int?)null;
                var fields = FieldSelector.Parse(route.Type, query["fieldSelector"]);
                var page = store.List(route.Type, route.Namespace, LabelSelector.Parse(query["labelSelector"]), fields, limit, NullIfEmpty(query["continue"]));
                await WriteJsonAsync(context, 200, json =>
                {
                    if (table)
                    {
                        TableWriter.Write(json, route.Type, page.Items, page.ResourceVersion, page.Continue, query["includeObject"], time.GetUtcNow());
                    }
                    else
                    {
                        ListWriter.Write(json, route.Type, page);
                    }
                }).ConfigureAwait(false);
                break;
            case ("GET", { } name):
                var item = store.Get(route.Type, route.Namespace, name);
                if (table)
                {
                    await WriteJsonAsync(context, 200, json => TableWriter.Write(json, route.Type, [item], item.ResourceVersion, null, query["includeObject"], time.GetUtcNow())).ConfigureAwait(false);
                }
                else
                {
                    await WriteObjectAsync(context, 200, item).ConfigureAwait(false);
                }

                break;
            case ("POST", null):
                var createOptions = WriteOptionsOf(context, apply: false);
                var created = store.Create(route.Type, route.Namespace, await ReadObjectAsync(context, route.Type).ConfigureAwait(false), createOptions);
                await WriteObjectAsync(context, 201, created, createOptions).ConfigureAwait(false);
                break;
            case ("PUT", { } name):
                var updateOptions = WriteOptionsOf(context, apply: false);
                var updated = store.Update(route.Type, route.Namespace, name, await ReadObjectAsync(context, route.Type).ConfigureAwait(false), status, updateOptions);
                await WriteObjectAsync(context, 200, updated, updateOptions).ConfigureAwait(false);
                break;
            case ("PATCH", { } name):
                var kind = PatchKindOf(request.ContentType);
                var patchOptions = WriteOptionsOf(context, apply: kind == PatchKind.Apply);
                var body = await ReadBodyAsync(context).ConfigureAwait(false);
                JsonNode? patch;
                try
                {
                    patch = kind == PatchKind.Apply ? Crds.YamlToJson.Document(body) : JsonNode.Parse(body);
                }
                catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException)
                {
                    throw ApiError.BadRequest($"error decoding patch: {e.Message}");
                }

                var patched = store.Patch(route.Type, route.Namespace, name, kind, patch, status, patchOptions);
                await WriteObjectAsync(context, 200, patched, patchOptions).ConfigureAwait(false);
                break;
            case ("DELETE", { } name) when !status:
                var deleteOptions = request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0 ? await ReadObjectAsync(context, null).ConfigureAwait(false) : null;
                if (NullIfEmpty(query["propagationPolicy"]) is { } policy)
                {
                    deleteOptions ??= [];
                    deleteOptions["propagationPolicy"] = policy;
                }

                var dryRun = DryRunOf(query) || deleteOptions?["dryRun"] is JsonArray { Count: > 0 };
                await WriteObjectAsync(context, 200, store.Delete(route.Type, route.Namespace, name, deleteOptions, dryRun)).ConfigureAwait(false);
                break;
            default:
                throw new ApiError(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }
    }

    // Go's strconv.ParseBool, which the real server uses for watch, force and the like (the python client sends "True").
    private static bool IsTrue(string? value) => value is "1" or "t" or "T" or "true" or "TRUE" or "True";

    private static bool DryRunOf(IQueryCollection query) => query["dryRun"].ToString() switch
    {
        "" => false,
        "All" => true,
        var other => throw ApiError.BadRequest($"Invalid dryRun parameter: Unsupported value: \"{other}\": supported values: \"All\""),
    };

    private static WriteOptions WriteOptionsOf(HttpContext context, bool apply)
    {
        var query = context.Request.Query;
        var manager = NullIfEmpty(query["fieldManager"]);
        if (apply && manager is null)
        {
            throw ApiError.BadRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        }

        // Without fieldManager the real server names the writer after its User-Agent's first word.
        manager ??= context.Request.Headers.UserAgent.ToString().Split('/')[0] is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, 128)] : "unknown";
        var validation = query["fieldValidation"].ToString() switch
        {
            "" or "Warn" => FieldValidation.Warn,
            "Strict" => FieldValidation.Strict,
            "Ignore" => FieldValidation.Ignore,
            var other => throw ApiError.BadRequest($"fieldValidation: Unsupported value: \"{other}\": supported values: \"Ignore\", \"Strict\", \"Warn\""),
        };
        return new WriteOptions(DryRunOf(query), manager, validation, IsTrue(query["force"]));
    }

    private static PatchKind PatchKindOf(string? contentType) => contentType?.Split(';')[0].Trim() switch
    {
        "application/merge-patch+json" => PatchKind.Merge,
        "application/json-patch+json" => PatchKind.Json,
        "application/strategic-merge-patch+json" => PatchKind.Strategic,
        "application/apply-patch+yaml" => PatchKind.Apply,
        _ => throw new ApiError(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json"),
    };

    private async Task<JsonObject> ReadObjectAsync(HttpContext context, ResourceType? type)
    {
        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        var contentType = context.Request.ContentType?.Split(';')[0].Trim();
        try
        {
            return contentType switch
            {
                ProtobufObjects.MediaType => ProtobufObjects.Decode(body, type),
                "application/yaml" => Crds.YamlToJson.Document(body) as JsonObject ?? throw ApiError.BadRequest("the request body is not an object"),
                _ => JsonNode.Parse(body) as JsonObject ?? throw ApiError.BadRequest("the request body is not a JSON object"),
            };
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException)
        {
            throw ApiError.BadRequest($"json: cannot unmarshal the request body: {e.Message}");
        }
    }

    private async Task<byte[]> ReadBodyAsync(HttpContext context)
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

        return buffer.ToArray();
    }

    private static Task WriteObjectAsync(HttpContext context, int code, StoredObject item, WriteOptions? write = null)
    {
        foreach (var warning in write?.Warnings ?? [])
        {
            context.Response.Headers.Append("Warning", $"299 - {JsonSerializer.Serialize(warning, JsonText.SerializerOptions)}");
        }

        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(item.Json).AsTask();
    }

    private static Task WriteJsonAsync(HttpContext context, int code, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Http.JsonText.WriterOptions))
        {
            write(json);
        }

        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(buffer.WrittenMemory).AsTask();
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
