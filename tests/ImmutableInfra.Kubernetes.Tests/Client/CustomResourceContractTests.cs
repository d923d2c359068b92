using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Kubernetes.Tests.Fixtures;

namespace ImmutableInfra.Kubernetes.Tests.Client;

[Collection(KubeApiGroup.Name)]
public sealed class CustomResourceContractTests(KubeApiFixture api)
{
    private ResourceClient<Widget> Widgets => api.Client.Resource(Widget.Descriptor);

    private Widget NewWidget(string name) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = api.Namespace },
        Spec = new WidgetSpec { Color = "red", Size = 1 },
    };

    [Fact]
    public async Task ReadModifyWrite_NarrowView_KeepsUnknownFieldsAtEveryLevel()
    {
        await api.Client.Resource(WideWidget.Descriptor).CreateAsync(new WideWidget
        {
            Metadata = new ObjectMeta { Name = "rmw", Namespace = api.Namespace },
            TopLevelExtra = "top",
            Spec = new WideWidgetSpec { Color = "red", Size = 1, Nested = new WideNested { Deep = "deep", Numbers = [1, 2, 3] } },
        });

        var narrow = await Widgets.GetAsync(api.Namespace, "rmw");
        narrow.Spec!.Color = "blue";
        await Widgets.UpdateAsync(narrow);
        var wide = await api.Client.Resource(WideWidget.Descriptor).GetAsync(api.Namespace, "rmw");

        Assert.Equal("blue", wide.Spec!.Color);
        Assert.Equal("top", wide.TopLevelExtra);
        Assert.Equal("deep", wide.Spec.Nested!.Deep);
        Assert.Equal([1, 2, 3], wide.Spec.Nested.Numbers);
    }

    [Fact]
    public async Task Create_IgnoresStatus_AndSetsGenerationOne()
    {
        var widget = NewWidget("gen-create");
        widget.Status = new WidgetStatus { Phase = "Ready" };

        var created = await Widgets.CreateAsync(widget);

        Assert.Null(created.Status);
        Assert.Equal(1, created.Metadata.Generation);
    }

    [Fact]
    public async Task Update_SpecChangeBumpsGeneration_MetadataChangeDoesNot()
    {
        var created = await Widgets.CreateAsync(NewWidget("gen-spec"));
        created.Metadata.Labels = new() { ["x"] = "y" };
        var labelled = await Widgets.UpdateAsync(created);
        labelled.Spec!.Size = 2;
        var resized = await Widgets.UpdateAsync(labelled);

        Assert.Equal(1, labelled.Metadata.Generation);
        Assert.Equal(2, resized.Metadata.Generation);
    }

    [Fact]
    public async Task Update_MainResource_IgnoresStatusChanges()
    {
        var created = await Widgets.CreateAsync(NewWidget("status-main"));
        created.Status = new WidgetStatus { Phase = "Sneaky" };
        created.Spec!.Color = "green";

        var updated = await Widgets.UpdateAsync(created);

        Assert.Equal("green", updated.Spec!.Color);
        Assert.Null(updated.Status);
    }

    [Fact]
    public async Task UpdateStatus_IgnoresEverythingButStatus_AndKeepsGeneration()
    {
        var created = await Widgets.CreateAsync(NewWidget("status-sub"));
        created.Status = new WidgetStatus { Phase = "Ready" };
        created.Spec!.Color = "ignored";

        var updated = await Widgets.UpdateStatusAsync(created);

        Assert.Equal("Ready", updated.Status!.Phase);
        Assert.Equal("red", updated.Spec!.Color);
        Assert.Equal(1, updated.Metadata.Generation);
    }

    [Fact]
    public async Task PatchStatus_ChangesStatusOnly()
    {
        await Widgets.CreateAsync(NewWidget("status-patch"));

        var patched = await Widgets.PatchStatusAsync(api.Namespace, "status-patch", """{"spec":{"color":"no"},"status":{"phase":"Provisioned"}}""");

        Assert.Equal("Provisioned", patched.Status!.Phase);
        Assert.Equal("red", patched.Spec!.Color);
    }

    [Fact]
    public async Task CapiClusterAndMachine_AreServedAsTypedViews()
    {
        var clusters = api.Client.Resource(KubeResources.CapiClusters);
        var machines = api.Client.Resource(KubeResources.CapiMachines);
        await clusters.CreateAsync(new CapiCluster
        {
            Metadata = new ObjectMeta { Name = "c1", Namespace = api.Namespace },
            Spec = new CapiClusterSpec { ControlPlaneEndpoint = new ApiEndpoint { Host = "198.18.0.10", Port = 6443 } },
        });
        await machines.CreateAsync(new CapiMachine
        {
            Metadata = new ObjectMeta { Name = "m1", Namespace = api.Namespace, Labels = new() { ["cluster.x-k8s.io/cluster-name"] = "c1" } },
            Spec = new CapiMachineSpec
            {
                ClusterName = "c1",
                Bootstrap = new CapiBootstrap { DataSecretName = "m1-bootstrap" },
                InfrastructureRef = new ObjectReference { ApiVersion = "infrastructure.cluster.x-k8s.io/v1beta1", Kind = "BaremetalMachine", Name = "m1" },
                Version = "v1.31.0",
            },
        });

        var cluster = await clusters.GetAsync(api.Namespace, "c1");
        var machine = Assert.Single((await machines.ListAsync(api.Namespace, new ListOptions { LabelSelector = "cluster.x-k8s.io/cluster-name=c1" })).Items);

        Assert.Equal(6443, cluster.Spec!.ControlPlaneEndpoint!.Port);
        Assert.Equal("m1-bootstrap", machine.Spec!.Bootstrap!.DataSecretName);
    }
}
