using System.Text.Json.Nodes;

namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>Kind-specific behaviour run inside a write (Secret stringData, CRD registration...).</summary>
internal interface IObjectAdmission
{
    /// <summary>Adjusts or rejects (throws <see cref="ApiError"/>) an object about to be stored; a dry run changes nothing else.</summary>
    void Admit(ResourceType type, JsonObject item, JsonObject? previous, bool dryRun);

    /// <summary>Called after an object is removed for good.</summary>
    void Deleted(ResourceType type, JsonObject item);
}
