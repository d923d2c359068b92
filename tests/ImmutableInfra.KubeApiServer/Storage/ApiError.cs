using System.Net;

namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>A failure the server answers with a Status body, as the real API server words it.</summary>
internal sealed class ApiError : Exception
{
    public ApiError()
    {
        Reason = "InternalError";
    }

    public ApiError(string message)
        : base(message)
    {
        Reason = "InternalError";
    }

    public ApiError(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = "InternalError";
    }

    public ApiError(HttpStatusCode code, string reason, string message, ApiErrorDetails? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public HttpStatusCode Code { get; } = HttpStatusCode.InternalServerError;

    public string Reason { get; }

    public ApiErrorDetails? Details { get; }

    public static ApiError NotFound(ResourceType type, string name) =>
        new(HttpStatusCode.NotFound, "NotFound", $"{Resource(type)} \"{name}\" not found", new(name, type.Group, type.Plural));

    public static ApiError AlreadyExists(ResourceType type, string name) =>
        new(HttpStatusCode.Conflict, "AlreadyExists", $"{Resource(type)} \"{name}\" already exists", new(name, type.Group, type.Plural));

    public static ApiError Conflict(ResourceType type, string name, string why) =>
        new(HttpStatusCode.Conflict, "Conflict", $"Operation cannot be fulfilled on {Resource(type)} \"{name}\": {why}", new(name, type.Group, type.Plural));

    /// <summary>422 Invalid, worded as the real server words it: <c>Kind.group "name" is invalid: cause</c> (several: <c>[a, b]</c>).</summary>
    public static ApiError Invalid(ResourceType type, string name, params FieldCause[] causes) =>
        new(
            HttpStatusCode.UnprocessableEntity,
            "Invalid",
            $"{type.QualifiedKind} \"{name}\" is invalid: {(causes.Length == 1 ? causes[0].ToString() : $"[{string.Join(", ", causes.Select(c => c.ToString()))}]")}",
            new(name, type.Group, type.Kind, causes));

    public static ApiError BadRequest(string message) => new(HttpStatusCode.BadRequest, "BadRequest", message);

    public static ApiError Gone(string message) => new(HttpStatusCode.Gone, "Expired", message);

    private static string Resource(ResourceType type) => type.QualifiedResource;
}

/// <summary>The <c>details</c> of a Status: the object concerned and the field causes.</summary>
internal sealed record ApiErrorDetails(
    string? Name,
    string? Group,
    string? Kind,
    IReadOnlyList<FieldCause>? Causes = null);
