using System.Net;
using System.Text;
using System.Text.Json;
using ImmutableInfra.Kubernetes.Tests.Fixtures;

namespace ImmutableInfra.Kubernetes.Tests.InMemory;

public sealed class InMemoryServerTests : IAsyncLifetime, IDisposable
{
    private InMemoryApi _api = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _api = await InMemoryApi.StartAsync();
        _http.BaseAddress = _api.Server.Url;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Discovery_ListsBuiltInAndCrdGroups()
    {
        using var apis = JsonDocument.Parse(await _http.GetStringAsync("/apis"));
        using var capi = JsonDocument.Parse(await _http.GetStringAsync("/apis/cluster.x-k8s.io/v1beta1"));
        using var core = JsonDocument.Parse(await _http.GetStringAsync("/api/v1"));

        var groups = apis.RootElement.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()).ToList();
        Assert.Contains("coordination.k8s.io", groups);
        Assert.Contains("cluster.x-k8s.io", groups);
        var capiResources = capi.RootElement.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Equal(["clusters", "clusters/status", "machinedeployments", "machinedeployments/status", "machines", "machines/status"], capiResources);
        Assert.Contains(core.RootElement.GetProperty("resources").EnumerateArray(), r => r.GetProperty("name").GetString() == "secrets" && r.GetProperty("namespaced").GetBoolean());
    }

    [Fact]
    public async Task Patch_WrongContentType_Is415WithStatusBody()
    {
        using var content = new StringContent("""{"data":{}}""", Encoding.UTF8, "application/xml");
        using var response = await _http.PatchAsync("/api/v1/namespaces/default", content);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("Status", status.RootElement.GetProperty("kind").GetString());
        Assert.Equal("UnsupportedMediaType", status.RootElement.GetProperty("reason").GetString());
        Assert.Equal(415, status.RootElement.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Create_InNamespaceThatDoesNotExist_Is404ForTheNamespace()
    {
        using var content = new StringContent("""{"metadata":{"name":"x"}}""", Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync("/api/v1/namespaces/nope/configmaps", content);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("namespaces \"nope\" not found", status.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Watch_TooOldResourceVersion_SendsGoneErrorEvent()
    {
        await _http.PostAsync("/api/v1/namespaces/default/configmaps", new StringContent("""{"metadata":{"name":"x"}}""", Encoding.UTF8, "application/json"));
        _api.Server.Faults.Compact();

        var line = await _http.GetStringAsync("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1&timeoutSeconds=1");
        using var watchEvent = JsonDocument.Parse(line);

        Assert.Equal("ERROR", watchEvent.RootElement.GetProperty("type").GetString());
        Assert.Equal(410, watchEvent.RootElement.GetProperty("object").GetProperty("code").GetInt32());
        Assert.Equal("Expired", watchEvent.RootElement.GetProperty("object").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Continue_AfterCompaction_Is410()
    {
        for (var i = 0; i < 3; i++)
        {
            await _http.PostAsync("/api/v1/namespaces/default/configmaps", new StringContent($$$"""{"metadata":{"name":"p{{{i}}}"}}""", Encoding.UTF8, "application/json"));
        }

        using var first = JsonDocument.Parse(await _http.GetStringAsync("/api/v1/namespaces/default/configmaps?limit=1"));
        var token = first.RootElement.GetProperty("metadata").GetProperty("continue").GetString();
        _api.Server.Faults.Compact();
        using var response = await _http.GetAsync($"/api/v1/namespaces/default/configmaps?limit=1&continue={Uri.EscapeDataString(token!)}");

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
    }

    [Fact]
    public async Task ResourceVersions_AreMonotonicAcrossKinds()
    {
        using var a = JsonDocument.Parse(await (await _http.PostAsync("/api/v1/namespaces/default/configmaps", new StringContent("""{"metadata":{"name":"rv1"}}""", Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync());
        using var b = JsonDocument.Parse(await (await _http.PostAsync("/apis/coordination.k8s.io/v1/namespaces/default/leases", new StringContent("""{"metadata":{"name":"rv2"}}""", Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync());

        var first = long.Parse(a.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var second = long.Parse(b.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(second > first);
    }
}
