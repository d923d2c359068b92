using System.Text.Json.Nodes;
using ImmutableInfra.KubeApiServer.Storage;

namespace ImmutableInfra.KubeApiServer.Http;

/// <summary>
/// Shallow OpenAPI schemas of the built-in kinds, enough for <c>kubectl explain</c> to name their top-level fields:
/// the server does not validate built-in kinds' fields (their Go types are not here).
/// </summary>
internal static class BuiltInSchemas
{
    public static JsonObject For(ResourceType type)
    {
        var properties = new JsonObject
        {
            ["apiVersion"] = Field("string", "APIVersion defines the versioned schema of this representation of an object."),
            ["kind"] = Field("string", "Kind is a string value representing the REST resource this object represents."),
            ["metadata"] = Field("object", "Standard object's metadata."),
        };
        foreach (var (name, fieldType, description) in Fields(type.Kind))
        {
            properties[name] = fieldType == "object"
                ? new JsonObject { ["type"] = "object", ["description"] = description, ["x-kubernetes-preserve-unknown-fields"] = true }
                : Field(fieldType, description);
        }

        return new JsonObject { ["type"] = "object", ["description"] = $"{type.Kind} (built-in kind served by the in-memory test API server; fields are not validated).", ["properties"] = properties };
    }

    private static JsonObject Field(string type, string description) => new() { ["type"] = type, ["description"] = description };

    private static IEnumerable<(string Name, string Type, string Description)> Fields(string kind) => kind switch
    {
        "ConfigMap" => [("data", "object", "Data contains the configuration data."), ("binaryData", "object", "BinaryData contains the binary data."), ("immutable", "boolean", "Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated.")],
        "Secret" => [("data", "object", "Data contains the secret data, base64 encoded."), ("stringData", "object", "stringData allows specifying non-binary secret data in string form (write-only)."), ("type", "string", "Used to facilitate programmatic handling of secret data."), ("immutable", "boolean", "Immutable, if set to true, ensures that data stored in the Secret cannot be updated.")],
        "Event" => [("involvedObject", "object", "The object that this event is about."), ("reason", "string", "A short, machine understandable string that gives the reason for the transition into the object's current status."), ("message", "string", "A human-readable description of the status of this operation."), ("type", "string", "Type of this event (Normal, Warning)."), ("count", "integer", "The number of times this event has occurred."), ("source", "object", "The component reporting this event."), ("firstTimestamp", "string", "The time at which the event was first recorded."), ("lastTimestamp", "string", "The time at which the most recent occurrence of this event was recorded.")],
        "ServiceAccount" => [("secrets", "array", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."), ("automountServiceAccountToken", "boolean", "Indicates whether pods running as this service account should have an API token automatically mounted.")],
        "ClusterRole" or "Role" => [("rules", "array", "Rules holds all the PolicyRules for this role."), ("aggregationRule", "object", "AggregationRule is an optional field that describes how to build the Rules for this ClusterRole.")],
        "ClusterRoleBinding" or "RoleBinding" => [("roleRef", "object", "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace."), ("subjects", "array", "Subjects holds references to the objects the role applies to.")],
        "CustomResourceDefinition" or "Namespace" or "Node" or "Service" or "Deployment" or "PodDisruptionBudget" => [("spec", "object", $"Spec defines the desired behavior of the {kind}."), ("status", "object", $"Status of the {kind}, set by the system.")],
        "Lease" => [("spec", "object", "spec contains the specification of the Lease.")],
        _ => [],
    };
}
