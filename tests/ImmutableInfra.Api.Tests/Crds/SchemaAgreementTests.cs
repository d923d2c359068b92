using System.Text.Json.Nodes;
using ImmutableInfra.Api.Tests.Fixtures;

namespace ImmutableInfra.Api.Tests.Crds;

public sealed class SchemaAgreementTests
{
    [Theory]
    [MemberData(nameof(Kind.Names), MemberType = typeof(Kind))]
    public void TypeAndSchema_HaveTheSameTopLevelFields(string name)
    {
        var kind = Kind.Named(name);
        var csharp = kind.TypeInfo.Properties.Where(p => !p.IsExtensionData).Select(p => p.Name).Order();
        var schema = ((JsonObject)kind.Schema["properties"]!).Select(p => p.Key).Order();

        Assert.Equal(csharp, schema);
    }

    [Theory]
    [MemberData(nameof(Kind.Names), MemberType = typeof(Kind))]
    public void SpecAndStatus_AgreeInBothDirections(string name)
    {
        var kind = Kind.Named(name);
        var problems = new List<string>();
        foreach (var part in new[] { "spec", "status" })
        {
            var property = kind.TypeInfo.Properties.Single(p => p.Name == part);
            problems.AddRange(SchemaComparer.Compare(property.PropertyType, (JsonObject)kind.Schema["properties"]![part]!, part));
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Comparer_ReportsAMissingSchemaField()
    {
        var kind = Kind.Named("BaremetalCluster");
        var spec = (JsonObject)kind.Schema["properties"]!["spec"]!.DeepClone();
        ((JsonObject)spec["properties"]!).Remove("controlPlaneLoadBalancer");
        ((JsonObject)spec["properties"]!)["extra"] = new JsonObject { ["type"] = "string" };

        var problems = SchemaComparer.Compare(typeof(V1Beta1.BaremetalClusterSpec), spec, "spec");

        Assert.Contains(problems, p => p.StartsWith("spec.controlPlaneLoadBalancer: in C#", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("spec.extra: in the schema", StringComparison.Ordinal));
    }

    [Fact]
    public void Comparer_ReportsDifferentEnumValues()
    {
        var schema = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("None", "Metadata") };

        var problems = SchemaComparer.Compare(typeof(V1Beta1.WipePolicy), schema, "wipePolicy");

        Assert.Single(problems);
    }
}
