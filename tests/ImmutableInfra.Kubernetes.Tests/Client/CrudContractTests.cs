using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Kubernetes.Tests.Fixtures;

namespace ImmutableInfra.Kubernetes.Tests.Client;

[Collection(KubeApiGroup.Name)]
public sealed class CrudContractTests(KubeApiFixture api)
{
    private ResourceClient<ConfigMap> ConfigMaps => api.Client.Resource(KubeResources.ConfigMaps);

    private ConfigMap NewConfigMap(string name, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = api.Namespace, Labels = labels },
        Data = new Dictionary<string, string> { ["key"] = "value" },
    };

    [Fact]
    public async Task Create_ThenGet_ReturnsServerFields()
    {
        var created = await ConfigMaps.CreateAsync(NewConfigMap("crud-get"));
        var read = await ConfigMaps.GetAsync(api.Namespace, "crud-get");

        Assert.False(string.IsNullOrEmpty(read.Metadata.Uid));
        Assert.NotNull(read.Metadata.CreationTimestamp);
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        Assert.Equal("value", read.Data!["key"]);
    }

    [Fact]
    public async Task Update_StaleResourceVersion_ThrowsConflict()
    {
        var created = await ConfigMaps.CreateAsync(NewConfigMap("crud-stale"));
        var first = await ConfigMaps.GetAsync(api.Namespace, "crud-stale");
        first.Data!["key"] = "first";
        var updated = await ConfigMaps.UpdateAsync(first);

        created.Data!["key"] = "stale";
        var error = await Assert.ThrowsAsync<KubeConflictException>(() => ConfigMaps.UpdateAsync(created));

        Assert.Equal("Conflict", error.Reason);
        Assert.NotEqual(created.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
        Assert.Equal("first", (await ConfigMaps.GetAsync(api.Namespace, "crud-stale")).Data!["key"]);
    }

    [Fact]
    public async Task Create_ExistingName_ThrowsAlreadyExists()
    {
        await ConfigMaps.CreateAsync(NewConfigMap("crud-twice"));

        var error = await Assert.ThrowsAsync<KubeAlreadyExistsException>(() => ConfigMaps.CreateAsync(NewConfigMap("crud-twice")));

        Assert.Equal(409, error.Status.Code);
        Assert.Equal("crud-twice", error.Status.Details?.Name);
    }

    [Fact]
    public async Task Get_Missing_ThrowsNotFoundWithStatusBody()
    {
        var error = await Assert.ThrowsAsync<KubeNotFoundException>(() => ConfigMaps.GetAsync(api.Namespace, "does-not-exist"));

        Assert.Equal("Status", error.Status.Kind);
        Assert.Equal("NotFound", error.Status.Reason);
        Assert.Equal("configmaps \"does-not-exist\" not found", error.Status.Message);
    }

    [Fact]
    public async Task Create_InvalidName_ThrowsInvalidNamingTheField()
    {
        var error = await Assert.ThrowsAsync<KubeInvalidException>(() => ConfigMaps.CreateAsync(NewConfigMap("Not_A_Valid_Name")));

        var cause = Assert.Single(error.Causes);
        Assert.Equal("metadata.name", cause.Field);
        Assert.Equal("FieldValueInvalid", cause.Reason);
    }

    [Fact]
    public async Task MergePatch_ChangesOnlyPatchedFields_AndNullRemoves()
    {
        await ConfigMaps.CreateAsync(NewConfigMap("crud-patch", new() { ["a"] = "1", ["b"] = "2" }));

        var patched = await ConfigMaps.PatchAsync(api.Namespace, "crud-patch", """{"metadata":{"labels":{"a":null,"c":"3"}},"data":{"extra":"x"}}""");

        Assert.Equal(new Dictionary<string, string> { ["b"] = "2", ["c"] = "3" }, patched.Metadata.Labels);
        Assert.Equal("value", patched.Data!["key"]);
        Assert.Equal("x", patched.Data["extra"]);
    }

    [Fact]
    public async Task MergePatch_StaleResourceVersion_ThrowsConflict()
    {
        var created = await ConfigMaps.CreateAsync(NewConfigMap("crud-patch-stale"));
        await ConfigMaps.PatchAsync(api.Namespace, "crud-patch-stale", """{"data":{"key":"moved"}}""");

        await Assert.ThrowsAsync<KubeConflictException>(() => ConfigMaps.PatchAsync(
            api.Namespace, "crud-patch-stale", $$$"""{"metadata":{"resourceVersion":"{{{created.Metadata.ResourceVersion}}}"},"data":{"key":"late"}}"""));
    }

    [Fact]
    public async Task Delete_StalePrecondition_ThrowsConflictAndKeepsObject()
    {
        var created = await ConfigMaps.CreateAsync(NewConfigMap("crud-precondition"));
        await ConfigMaps.PatchAsync(api.Namespace, "crud-precondition", """{"data":{"key":"moved"}}""");

        await Assert.ThrowsAsync<KubeConflictException>(() => ConfigMaps.DeleteAsync(
            api.Namespace, "crud-precondition", new DeleteOptions { Preconditions = new Preconditions { ResourceVersion = created.Metadata.ResourceVersion } }));

        Assert.NotNull(await ConfigMaps.GetAsync(api.Namespace, "crud-precondition"));
    }

    [Fact]
    public async Task Delete_WithFinalizer_SetsDeletionTimestamp_RemovingLastFinalizerDeletes()
    {
        var map = NewConfigMap("crud-finalizer");
        map.Metadata.Finalizers = ["test.immutableinfra.io/hold"];
        await ConfigMaps.CreateAsync(map);

        await ConfigMaps.DeleteAsync(api.Namespace, "crud-finalizer", new DeleteOptions { PropagationPolicy = "Foreground" });
        var pending = await ConfigMaps.GetAsync(api.Namespace, "crud-finalizer");
        Assert.NotNull(pending.Metadata.DeletionTimestamp);

        pending.Metadata.Finalizers = [];
        await ConfigMaps.UpdateAsync(pending);

        await Assert.ThrowsAsync<KubeNotFoundException>(() => ConfigMaps.GetAsync(api.Namespace, "crud-finalizer"));
    }

    [Fact]
    public async Task Secret_DataRoundTripsAsBytes_AndStringDataFoldsIntoData()
    {
        var secrets = api.Client.Resource(KubeResources.Secrets);
        await secrets.CreateAsync(new Secret
        {
            Metadata = new ObjectMeta { Name = "crud-secret", Namespace = api.Namespace },
            Data = new Dictionary<string, byte[]> { ["bin"] = [0, 1, 2, 255] },
            StringData = new Dictionary<string, string> { ["text"] = "hello" },
        });

        var read = await secrets.GetAsync(api.Namespace, "crud-secret");

        Assert.Equal(new byte[] { 0, 1, 2, 255 }, read.Data!["bin"]);
        Assert.Equal("hello"u8.ToArray(), read.Data["text"]);
        Assert.Null(read.StringData);
    }

    [Fact]
    public async Task Lease_MicroTimesRoundTrip()
    {
        var leases = api.Client.Resource(KubeResources.Leases);
        var renew = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero).AddTicks(1234560);
        await leases.CreateAsync(new Lease
        {
            Metadata = new ObjectMeta { Name = "crud-lease", Namespace = api.Namespace },
            Spec = new LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15, RenewTime = renew, LeaseTransitions = 3 },
        });

        var read = await leases.GetAsync(api.Namespace, "crud-lease");

        Assert.Equal(renew, read.Spec!.RenewTime);
        Assert.Equal(3, read.Spec.LeaseTransitions);
    }
}
