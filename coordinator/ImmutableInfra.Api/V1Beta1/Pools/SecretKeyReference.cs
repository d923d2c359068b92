using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>A key of a Secret in the referrer's namespace.</summary>
public sealed class SecretKeyReference
{
    public string? Name { get; set; }

    /// <summary>The data key; the CRD defaults it to <c>token</c>.</summary>
    public string? Key { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
