using System.Globalization;
using System.Text.Json.Nodes;
using ImmutableInfra.KubeApiServer.Storage;
using ImmutableInfra.KubeApiServer.Tables;

namespace ImmutableInfra.KubeApiServer.Crds;

/// <summary>
/// The built-in kinds the in-memory server stores (those our manifests, the coordinator and the agents use), with
/// their discovery names, the columns of the real server's printers and their strategic-merge list keys.
/// </summary>
internal static class BuiltInTypes
{
    private static readonly Dictionary<string, string> MetadataKeys = new(StringComparer.Ordinal) { ["metadata.ownerReferences"] = "uid" };

    private static PrinterColumn CreatedAt { get; } = Column("Created At", "The time the object was created", (i, _) => i["metadata"]?["creationTimestamp"]?.DeepClone(), "date");

    private static IReadOnlyList<PrinterColumn> BindingColumns { get; } =
    [
        PrinterColumn.NameColumn,
        Column("Role", "The role the binding refers to", (i, _) => $"{Text(i["roleRef"]?["kind"])}/{Text(i["roleRef"]?["name"])}"),
        PrinterColumn.Age,
        Column("Users", "The users bound", (i, _) => Subjects(i, "User"), priority: 1),
        Column("Groups", "The groups bound", (i, _) => Subjects(i, "Group"), priority: 1),
        Column("ServiceAccounts", "The service accounts bound", (i, _) => Subjects(i, "ServiceAccount"), priority: 1),
    ];

    public static ResourceType Namespaces { get; } = new("", "v1", "namespaces", "namespace", "Namespace", false, true, false)
    {
        ShortNames = ["ns"],
        Columns = [PrinterColumn.NameColumn, Column("Status", "The status of the namespace", At("status", "phase")), PrinterColumn.Age],
        MergeKeys = MetadataKeys,
    };

    public static ResourceType CustomResourceDefinitions { get; } =
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", false, true, false)
        {
            ShortNames = ["crd", "crds"],
            Columns = [PrinterColumn.NameColumn, Column("Created At", "The time the object was created", (i, _) => i["metadata"]?["creationTimestamp"]?.DeepClone(), "date")],
        };

    public static ResourceType Events { get; } = new("", "v1", "events", "event", "Event", true, false, false)
    {
        ShortNames = ["ev"],
        Columns =
        [
            Column("Last Seen", "Time when this Event was last seen", (i, now) => PrinterColumn.AgeOf(i["lastTimestamp"] ?? i["eventTime"] ?? i["metadata"]?["creationTimestamp"], now)),
            Column("Type", "Type of this event (Normal, Warning), new types could be added in the future.", At("type")),
            Column("Reason", "The reason this event is generated. 'reason' should be short and unique.", At("reason")),
            Column("Object", "The object that this event is about.", (i, _) => $"{Text(i["involvedObject"]?["kind"])?.ToLowerInvariant()}/{Text(i["involvedObject"]?["name"])}"),
            Column("Message", "A human-readable description of the status of this operation.", At("message")),
            PrinterColumn.NameColumn with { Priority = 1 },
        ],
        MergeKeys = MetadataKeys,
    };

    public static IEnumerable<ResourceType> All { get; } =
    [
        Namespaces,
        new("", "v1", "secrets", "secret", "Secret", true, false, false)
        {
            Columns = [PrinterColumn.NameColumn, Column("Type", "The type of the secret", At("type")), Column("Data", "The number of entries in the secret", (i, _) => Count(i["data"]), "integer"), PrinterColumn.Age],
            MergeKeys = MetadataKeys,
        },
        new("", "v1", "configmaps", "configmap", "ConfigMap", true, false, false)
        {
            ShortNames = ["cm"],
            Columns = [PrinterColumn.NameColumn, Column("Data", "The number of entries in the config map", (i, _) => Count(i["data"]) + Count(i["binaryData"]), "integer"), PrinterColumn.Age],
            MergeKeys = MetadataKeys,
        },
        Events,
        new("", "v1", "nodes", "node", "Node", false, true, false)
        {
            ShortNames = ["no"],
            Columns = [PrinterColumn.NameColumn, Column("Status", "The status of the node", (i, _) => NodeStatus(i)), PrinterColumn.Age, Column("Version", "Kubelet Version reported by the node.", At("status", "nodeInfo", "kubeletVersion"))],
            MergeKeys = MetadataKeys,
        },
        new("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, false, false)
        {
            ShortNames = ["sa"],
            Columns = [PrinterColumn.NameColumn, Column("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.", (i, _) => Count(i["secrets"]), "integer"), PrinterColumn.Age],
            MergeKeys = MetadataKeys,
        },
        new("", "v1", "services", "service", "Service", true, true, false)
        {
            ShortNames = ["svc"],
            Categories = ["all"],
            Columns =
            [
                PrinterColumn.NameColumn,
                Column("Type", "The type of service.", At("spec", "type")),
                Column("Cluster-IP", "The cluster IP of the service.", (i, _) => Text(i["spec"]?["clusterIP"]) ?? "<none>"),
                Column("External-IP", "The external IP of the service.", (i, _) => "<none>"),
                Column("Port(s)", "The ports of the service.", (i, _) => Ports(i)),
                PrinterColumn.Age,
                Column("Selector", "The label selector of the service.", (i, _) => Selector(i["spec"]?["selector"]), priority: 1),
            ],
            MergeKeys = new Dictionary<string, string>(MetadataKeys, StringComparer.Ordinal) { ["spec.ports"] = "port" },
        },
        new("apps", "v1", "deployments", "deployment", "Deployment", true, true, false)
        {
            ShortNames = ["deploy"],
            Categories = ["all"],
            Columns =
            [
                PrinterColumn.NameColumn,
                Column("Ready", "Number of the pod with ready state", (i, _) => $"{Number(i["status"]?["readyReplicas"])}/{Number(i["spec"]?["replicas"], 1)}"),
                Column("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", (i, _) => Number(i["status"]?["updatedReplicas"]), "integer"),
                Column("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", (i, _) => Number(i["status"]?["availableReplicas"]), "integer"),
                PrinterColumn.Age,
                Column("Containers", "Names of each container in the template.", (i, _) => Join(i["spec"]?["template"]?["spec"]?["containers"], "name"), priority: 1),
                Column("Images", "Images referenced by each container in the template.", (i, _) => Join(i["spec"]?["template"]?["spec"]?["containers"], "image"), priority: 1),
                Column("Selector", "The label selector for pods that should match the replicas count.", (i, _) => Selector(i["spec"]?["selector"]?["matchLabels"]), priority: 1),
            ],
            MergeKeys = new Dictionary<string, string>(MetadataKeys, StringComparer.Ordinal)
            {
                ["spec.template.spec.containers"] = "name",
                ["spec.template.spec.initContainers"] = "name",
                ["spec.template.spec.volumes"] = "name",
                ["spec.template.spec.imagePullSecrets"] = "name",
                ["spec.template.spec.containers[].ports"] = "containerPort",
                ["spec.template.spec.containers[].env"] = "name",
                ["spec.template.spec.containers[].volumeMounts"] = "mountPath",
                ["spec.template.spec.initContainers[].env"] = "name",
                ["spec.template.spec.initContainers[].volumeMounts"] = "mountPath",
            },
        },
        new("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, true, false)
        {
            ShortNames = ["pdb"],
            Columns =
            [
                PrinterColumn.NameColumn,
                Column("Min Available", "The minimum number of pods that must be available.", (i, _) => Text(i["spec"]?["minAvailable"]) ?? "N/A"),
                Column("Max Unavailable", "The maximum number of pods that may be unavailable.", (i, _) => Text(i["spec"]?["maxUnavailable"]) ?? "N/A"),
                Column("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time.", (i, _) => Number(i["status"]?["disruptionsAllowed"]), "integer"),
                PrinterColumn.Age,
            ],
            MergeKeys = MetadataKeys,
        },
        new("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", false, false, false) { Columns = [PrinterColumn.NameColumn, CreatedAt], MergeKeys = MetadataKeys },
        new("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true, false, false) { Columns = [PrinterColumn.NameColumn, CreatedAt], MergeKeys = MetadataKeys },
        new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, false, false) { Columns = BindingColumns, MergeKeys = MetadataKeys },
        new("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true, false, false) { Columns = BindingColumns, MergeKeys = MetadataKeys },
        new("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, false, false)
        {
            Columns = [PrinterColumn.NameColumn, Column("Holder", "The holder of the lease", At("spec", "holderIdentity")), PrinterColumn.Age],
            MergeKeys = MetadataKeys,
        },
        CustomResourceDefinitions,
    ];

    private static PrinterColumn Column(string name, string description, Func<JsonObject, DateTimeOffset, JsonNode?> cell, string type = "string", int priority = 0) =>
        new(name, type, string.Empty, description, priority, cell);

    private static Func<JsonObject, DateTimeOffset, JsonNode?> At(params string[] path) => (item, _) =>
    {
        JsonNode? node = item;
        foreach (var step in path)
        {
            node = (node as JsonObject)?[step];
        }

        return node?.DeepClone();
    };

    private static string? Text(JsonNode? node) => node is JsonValue v ? v.ToString() : null;

    private static int Count(JsonNode? node) => node switch { JsonObject o => o.Count, JsonArray a => a.Count, _ => 0 };

    private static long Number(JsonNode? node, long fallback = 0) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n : fallback;

    private static string Join(JsonNode? list, string field) =>
        list is JsonArray array ? string.Join(",", array.Select(e => Text(e?[field]) ?? string.Empty)) : string.Empty;

    private static string Selector(JsonNode? labels) =>
        labels is JsonObject { Count: > 0 } map ? string.Join(",", map.Select(p => $"{p.Key}={Text(p.Value)}")) : "<none>";

    private static string Ports(JsonObject service)
    {
        if (service["spec"]?["ports"] is not JsonArray { Count: > 0 } ports)
        {
            return "<none>";
        }

        return string.Join(",", ports.Select(p => string.Create(CultureInfo.InvariantCulture, $"{Number(p?["port"])}/{Text(p?["protocol"]) ?? "TCP"}")));
    }

    private static string NodeStatus(JsonObject node) =>
        node["status"]?["conditions"] is JsonArray conditions
        && conditions.OfType<JsonObject>().FirstOrDefault(c => Text(c["type"]) == "Ready") is { } ready
            ? Text(ready["status"]) == "True" ? "Ready" : "NotReady"
            : "Unknown";

    private static string Subjects(JsonObject binding, string kind) =>
        binding["subjects"] is JsonArray subjects
            ? string.Join(", ", subjects.OfType<JsonObject>().Where(s => Text(s["kind"]) == kind)
                .Select(s => kind == "ServiceAccount" ? $"{Text(s["namespace"])}/{Text(s["name"])}" : Text(s["name"])))
            : string.Empty;
}
