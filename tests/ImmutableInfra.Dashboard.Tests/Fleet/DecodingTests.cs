using System.Text.Json;
using System.Text.Json.Nodes;
using ImmutableInfra.Dashboard.Fleet;
using ImmutableInfra.Dashboard.Tests.Support;

namespace ImmutableInfra.Dashboard.Tests.Fleet;

public sealed class DecodingTests
{
    private static JsonElement Json(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();

    [Fact]
    public void Host_FullStatus_FlattensWhatThePagesShow()
    {
        var status = Objects.ControlPlaneClaim(Objects.HostStatus("h1", "Provisioned", 3), "c1", "m1", "Master", "h1");
        status["wipe"] = new JsonObject { ["step"] = "wipe", ["disks"] = new JsonArray(new JsonObject { ["disk"] = "/dev/disk/by-id/ata-h1-1", ["state"] = "Running", ["bytesDone"] = 25, ["bytesTotal"] = 100 }) };
        var host = Objects.Host("h1", "workers", "Provisioned", 3);
        host["status"] = status;

        var view = HostDecoder.Decode(Json(host));

        Assert.Null(view.DecodeError);
        Assert.Equal(("fleet/h1", "workers", "Provisioned"), (view.Key, view.Pool, view.State));
        Assert.Equal(("fleet", "m1", "fleet/c1", true), (view.MachineNamespace, view.MachineName, view.Cluster, view.ControlPlane));
        Assert.Equal((16, 8, 68_719_476_736L), (view.Threads, view.Cores, view.MemoryBytes));
        Assert.Equal(["NVMe", "HDD"], view.Disks.Select(d => d.Kind));
        Assert.True(view.Disks[0].HoldsOs);
        Assert.Equal(("Running", 25), (view.Disks[1].WipeState, view.Disks[1].WipePercent));
        Assert.Equal(["198.18.0.4/24"], view.Addresses);
        Assert.Equal("Master", view.Vip?.VrrpState?.ToString());
        Assert.Contains("198.18.0.4", view.SearchText, StringComparison.Ordinal);
        Assert.Null(view.KubernetesVersions);
    }

    [Fact]
    public void Host_StateOfTheWrongType_IsUndecodableAndKeepsItsName()
    {
        var host = Objects.Host("broken", "workers", "Available");
        host["status"]!["state"] = "Exploded";

        var view = HostDecoder.Decode(Json(host));

        Assert.Equal(("fleet/broken", HostDecoder.Undecodable, "workers"), (view.Key, view.State, view.Pool));
        Assert.NotNull(view.DecodeError);
        Assert.Equal("r0", view.Metadata.Labels["rack"]);
    }

    [Fact]
    public void Host_KubernetesVersionsWhenReported_AreShown()
    {
        var host = Objects.Host("h1", "workers", "Available");
        host["status"]!["kubernetesVersions"] = new JsonObject { ["cached"] = new JsonArray("v1.33.1", "v1.34.0"), ["active"] = "v1.33.1" };

        var view = HostDecoder.Decode(Json(host));

        Assert.Equal(["v1.33.1", "v1.34.0"], view.KubernetesVersions!.Cached);
        Assert.Equal("v1.33.1", view.KubernetesVersions.Active);
    }

    [Fact]
    public void Cluster_VridNotANumber_IsUndecodable()
    {
        var view = ClusterView.Decode(Json(Objects.Cluster("c1", "fifty")));

        Assert.Equal("fleet/c1", view.Key);
        Assert.NotNull(view.DecodeError);
        Assert.False(view.InternalVip);
    }

    [Fact]
    public void Cluster_InternalVip_Decodes()
    {
        var view = ClusterView.Decode(Json(Objects.Cluster("c1", 51)));

        Assert.Null(view.DecodeError);
        Assert.Equal((true, "198.18.100.10", 51, "198.18.100.10:6443"), (view.InternalVip, view.Vip, view.Vrid, view.Endpoint));
    }

    [Fact]
    public void Machine_ClusterAndRoleComeFromCapiLabels()
    {
        var view = MachineView.Decode(Json(Objects.Machine("m1", "c1", "h1", "Provisioning", controlPlane: true)));

        Assert.Equal(("c1", true, "h1", "Provisioning", false), (view.Cluster, view.ControlPlane, view.HostName, view.Phase, view.Ready));
        Assert.Equal("WaitingForBootstrap", view.Conditions.Single().Reason);
    }

    [Fact]
    public void Pool_SelectorAndApproval_AreDescribed()
    {
        var view = PoolView.Decode(Json(Objects.Pool("workers", autoApprove: false)));

        Assert.Equal(("labels pool=workers", false, "workers-registration"), (view.Eligibility, view.AutoApprove, view.TokenSecretName));
    }

    [Fact]
    public void Metadata_NotAnObject_StillNamesSomething()
    {
        var meta = ObjectMetadata.Read(JsonDocument.Parse("[1,2]").RootElement);

        Assert.Equal(("", "(unnamed)"), (meta.Namespace, meta.Name));
        Assert.Empty(meta.Labels);
    }
}
