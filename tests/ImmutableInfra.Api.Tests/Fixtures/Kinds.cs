using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Api.Tests.Fixtures;

/// <summary>Each kind of the API with its descriptor facts, type metadata and shipped CRD.</summary>
public sealed record Kind(string Name, string Plural, string ShortName, JsonTypeInfo TypeInfo, IReadOnlyList<string> PrinterColumns)
{
    public static IReadOnlyList<Kind> All { get; } =
    [
        new("MachineInventoryPool", "machineinventorypools", "mip", ApiJsonContext.Default.MachineInventoryPool, ["Available", "Claimed", "Total", "Age"]),
        new("MachineInventory", "machineinventories", "mi", ApiJsonContext.Default.MachineInventory, ["State", "Pool", "Machine", "CPU", "Memory", "Age"]),
        new("BaremetalCluster", "baremetalclusters", "bmc", ApiJsonContext.Default.BaremetalCluster, ["Endpoint", "Type", "Provisioned", "Age"]),
        new("BaremetalMachineTemplate", "baremetalmachinetemplates", "bmt", ApiJsonContext.Default.BaremetalMachineTemplate, ["Pool", "Age"]),
        new("BaremetalMachine", "baremetalmachines", "bmm", ApiJsonContext.Default.BaremetalMachine, ["Host", "Phase", "ProviderID", "Provisioned", "Age"]),
    ];

    public static TheoryData<string> Names => [.. All.Select(k => k.Name)];

    public static Kind Named(string name) => All.Single(k => k.Name == name);

    public string CrdPath => Path.Combine(AppContext.BaseDirectory, "crds", $"{ApiGroup.Group}_{Plural}.yaml");

    public string CrdYaml => File.ReadAllText(CrdPath);

    public JsonObject Crd => YamlDocuments.ParseSingle(CrdYaml);

    /// <summary>The single served version's openAPIV3Schema.</summary>
    public JsonObject Schema => (JsonObject)Crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;

    public override string ToString() => Name;
}
