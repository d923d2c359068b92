namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>One cause of a 422 Invalid: the field, the reason (FieldValueInvalid...) and the message, as k8s.io/apimachinery's field errors word them.</summary>
internal sealed record FieldCause(string Field, string Reason, string Message)
{
    public static FieldCause Required(string field, string? detail = null) =>
        new(field, "FieldValueRequired", detail is null ? "Required value" : $"Required value: {detail}");

    public static FieldCause Invalid(string field, string value, string detail) => new(field, "FieldValueInvalid", $"Invalid value: {value}: {detail}");

    public static FieldCause TypeInvalid(string field, string actual, string expected) =>
        new(field, "FieldValueTypeInvalid", $"Invalid value: \"{actual}\": {field} in body must be of type {expected}: \"{actual}\"");

    public static FieldCause TooMany(string field, int actual, long max, string what) =>
        new(field, "FieldValueTooMany", $"Too many: {actual}: must have at most {max} {what}");

    /// <summary>The cause as it appears in the Status message: <c>field: message</c>.</summary>
    public override string ToString() => $"{Field}: {Message}";
}
