using System.Text.Json.Nodes;
using ImmutableInfra.Api.Tests.Fixtures;
using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Api.Tests.Crds;

public sealed class CrdDefinitionTests
{
    [Theory]
    [MemberData(nameof(Kind.Names), MemberType = typeof(Kind))]
    public void Crd_NamesTheKindAsTheDescriptorDoes(string name)
    {
        var kind = Kind.Named(name);
        var crd = kind.Crd;
        var spec = crd["spec"]!;

        Assert.Equal("apiextensions.k8s.io/v1", (string?)crd["apiVersion"]);
        Assert.Equal("CustomResourceDefinition", (string?)crd["kind"]);
        Assert.Equal($"{kind.Plural}.{ApiGroup.Group}", (string?)crd["metadata"]!["name"]);
        Assert.Equal(ApiGroup.Group, (string?)spec["group"]);
        Assert.Equal("Namespaced", (string?)spec["scope"]);
        Assert.Equal(kind.Name, (string?)spec["names"]!["kind"]);
        Assert.Equal(kind.Plural, (string?)spec["names"]!["plural"]);
        Assert.Equal($"{kind.Name}List", (string?)spec["names"]!["listKind"]);
    }

    [Theory]
    [MemberData(nameof(Kind.Names), MemberType = typeof(Kind))]
    public void Crd_ServesAndStoresOnlyV1Beta1_WithTheStatusSubresource(string name)
    {
        var version = Assert.Single(Kind.Named(name).Crd["spec"]!["versions"]!.AsArray())!;

        Assert.Equal(ApiGroup.Version, (string?)version["name"]);
        Assert.True((bool)version["served"]!);
        Assert.True((bool)version["storage"]!);
        Assert.IsType<JsonObject>(version["subresources"]?["status"]);
    }

    [Theory]
    [MemberData(nameof(Kind.Names), MemberType = typeof(Kind))]
    public void Crd_HasShortNameAndClusterApiCategory(string name)
    {
        var kind = Kind.Named(name);
        var names = kind.Crd["spec"]!["names"]!;

        Assert.Equal([kind.ShortName], names["shortNames"]!.AsArray().Select(n => (string)n!));
        Assert.Contains("cluster-api", names["categories"]!.AsArray().Select(n => (string)n!));
    }

    [Theory]
    [MemberData(nameof(Kind.Names), MemberType = typeof(Kind))]
    public void Crd_CarriesTheContractLabels(string name)
    {
        var labels = Kind.Named(name).Crd["metadata"]!["labels"]!;

        // Cluster API 1.11+ picks the v1beta2 contract label first; cores before it only know v1beta1.
        Assert.Equal(ApiGroup.Version, (string?)labels["cluster.x-k8s.io/v1beta2"]);
        Assert.Equal(ApiGroup.Version, (string?)labels["cluster.x-k8s.io/v1beta1"]);
    }

    [Theory]
    [MemberData(nameof(Kind.Names), MemberType = typeof(Kind))]
    public void PrinterColumns_AreTheExpectedOnes_AndPointIntoTheSchemaWithTheirType(string name)
    {
        var kind = Kind.Named(name);
        var columns = kind.Crd["spec"]!["versions"]![0]!["additionalPrinterColumns"]!.AsArray();

        Assert.Equal(kind.PrinterColumns, columns.Select(c => (string)c!["name"]!));
        foreach (var column in columns)
        {
            var path = (string)column!["jsonPath"]!;
            var type = (string)column["type"]!;
            if (path == ".metadata.creationTimestamp")
            {
                Assert.Equal("date", type);
                continue;
            }

            var leaf = SchemaAt(kind.Schema, path);
            Assert.True(leaf is not null, $"{name}: printer column path {path} is not in the schema");
            Assert.Equal(type, (string?)leaf!["type"]);
        }
    }

    [Fact]
    public void Defaults_AreThePortTokenKeyAndMetadataWipe()
    {
        var lb = SchemaAt(Kind.Named("BaremetalCluster").Schema, ".spec.controlPlaneLoadBalancer")!;
        var pool = Kind.Named("MachineInventoryPool").Schema;

        Assert.Equal(6443, (long)lb["properties"]!["port"]!["default"]!);
        Assert.Equal(1, (long)lb["properties"]!["vrid"]!["minimum"]!);
        Assert.Equal(255, (long)lb["properties"]!["vrid"]!["maximum"]!);
        Assert.Equal("token", (string?)SchemaAt(pool, ".spec.registration.tokenSecretRef.key")!["default"]);
        Assert.Equal("Metadata", (string?)SchemaAt(pool, ".spec.defaults.wipePolicy")!["default"]);
        Assert.Empty(SchemaAt(pool, ".spec.defaults")!["default"]!.AsObject());
    }

    [Fact]
    public void Conditions_AreAMapListKeyedByType_WithKubernetesStatusValues()
    {
        foreach (var kind in Kind.All.Where(k => k.Name != "BaremetalMachineTemplate"))
        {
            var conditions = SchemaAt(kind.Schema, ".status.conditions")!;

            Assert.Equal("map", (string?)conditions["x-kubernetes-list-type"]);
            Assert.Equal(["type"], conditions["x-kubernetes-list-map-keys"]!.AsArray().Select(k => (string)k!));
            Assert.Equal([ConditionStatus.True, ConditionStatus.False, ConditionStatus.Unknown],
                conditions["items"]!["properties"]!["status"]!["enum"]!.AsArray().Select(v => (string)v!));
        }
    }

    private static JsonObject? SchemaAt(JsonObject schema, string jsonPath)
    {
        JsonObject? node = schema;
        foreach (var segment in jsonPath.TrimStart('.').Split('.'))
        {
            node = node?["properties"]?[segment] as JsonObject;
        }

        return node;
    }
}
