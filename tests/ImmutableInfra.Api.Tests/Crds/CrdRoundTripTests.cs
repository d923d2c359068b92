using System.Text.Json;
using System.Text.Json.Nodes;
using ImmutableInfra.Api.Tests.Fixtures;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Api.Tests.Crds;

public sealed class CrdRoundTripTests(ApiServerFixture api) : IClassFixture<ApiServerFixture>
{
    [Theory]
    [MemberData(nameof(Kind.Names), MemberType = typeof(Kind))]
    public async Task FullyPopulatedObject_SurvivesCreateGetAndStatusUpdate_WithNothingDeclaredLost(string name)
    {
        var (spec, status, stored) = name switch
        {
            "MachineInventoryPool" => await RoundTripAsync(InfrastructureResources.MachineInventoryPools),
            "MachineInventory" => await RoundTripAsync(InfrastructureResources.MachineInventories),
            "BaremetalCluster" => await RoundTripAsync(InfrastructureResources.BaremetalClusters),
            "BaremetalMachineTemplate" => await RoundTripAsync(InfrastructureResources.BaremetalMachineTemplates),
            "BaremetalMachine" => await RoundTripAsync(InfrastructureResources.BaremetalMachines),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown kind"),
        };

        // Every field the C# types have survives; the unknown ones the sample adds are pruned, as a real server prunes them.
        var (expectedSpec, expectedStatus) = (SchemaConformance.WithoutUnknownFields(spec), SchemaConformance.WithoutUnknownFields(status));
        Assert.True(JsonNode.DeepEquals(expectedSpec, stored["spec"]), $"spec changed:\n{expectedSpec}\n---\n{stored["spec"]}");
        Assert.True(JsonNode.DeepEquals(expectedStatus, stored["status"]), $"status changed:\n{expectedStatus}\n---\n{stored["status"]}");
    }

    [Fact]
    public async Task MachineInventory_ListedByShortNameKindAndPlural_IsServedUnderOurGroup()
    {
        var hosts = api.Client.Resource(InfrastructureResources.MachineInventories);
        await hosts.CreateAsync(new MachineInventory
        {
            Metadata = new ObjectMeta { Name = "host-list", Namespace = "default", Labels = new() { ["rack"] = "r1" } },
            Spec = new MachineInventorySpec { Identity = new HostIdentity { SystemUuid = "4c4c4544-0000-1000-8000-000000000001" } },
        });

        var listed = await hosts.ListAsync("default", new Kubernetes.Client.ListOptions { LabelSelector = "rack=r1" });

        var host = Assert.Single(listed.Items);
        Assert.Equal(ApiGroup.ApiVersion, host.ApiVersion);
        Assert.Equal("4c4c4544-0000-1000-8000-000000000001", host.Spec!.Identity!.SystemUuid);
    }

    private async Task<(JsonNode Spec, JsonNode Status, JsonNode Stored)> RoundTripAsync<T>(ResourceDescriptor<T> descriptor)
        where T : KubeObject
    {
        var properties = descriptor.TypeInfo.Properties;
        var schema = (JsonObject)Kind.Named(descriptor.Kind).Schema["properties"]!;
        var spec = SchemaConformance.Conform(SampleObjects.Populated(properties.Single(p => p.Name == "spec").PropertyType), (JsonObject)schema["spec"]!);
        var status = SchemaConformance.Conform(SampleObjects.Populated(properties.Single(p => p.Name == "status").PropertyType), (JsonObject)schema["status"]!);
        var objectName = $"sample-{descriptor.Plural}";
        var sample = new JsonObject
        {
            ["apiVersion"] = descriptor.ApiVersion,
            ["kind"] = descriptor.Kind,
            ["metadata"] = new JsonObject { ["name"] = objectName, ["namespace"] = "default" },
            ["spec"] = spec.DeepClone(),
        };
        var client = api.Client.Resource(descriptor);

        var created = await client.CreateAsync(sample.Deserialize(descriptor.TypeInfo)!);
        var withStatus = JsonSerializer.SerializeToNode(created, descriptor.TypeInfo)!.AsObject();
        withStatus["status"] = status.DeepClone();
        await client.UpdateStatusAsync(withStatus.Deserialize(descriptor.TypeInfo)!);
        var fetched = await client.GetAsync("default", objectName);

        return (spec, status, JsonSerializer.SerializeToNode(fetched, descriptor.TypeInfo)!);
    }
}
