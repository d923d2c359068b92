using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>How hosts enroll through a pool: the token Secret they must present, and whether they are approved at once.</summary>
public sealed class PoolRegistration
{
    public SecretKeyReference? TokenSecretRef { get; set; }

    /// <summary>When false, a new host stays <c>Registering</c> until an operator sets its <c>spec.approved</c>.</summary>
    public bool? AutoApprove { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
