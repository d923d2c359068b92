using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImmutableInfra.KubeApiServer;

namespace ImmutableInfra.Packaging.Tests.Manifests;

/// <summary>
/// The CRDs and a rendered cluster template, created through the in-memory API server as kubectl would:
/// every object is accepted under its group/version/plural and reads back with nothing lost (defaults added). Cluster API's and
/// kubeadm's kinds come from the in-memory server's fixture CRDs, shaped like Cluster API's real ones.
/// </summary>
public sealed class ClusterTemplateApplyTests : IAsyncLifetime, IDisposable
{
    private InMemoryKubeApiServer _server = null!;
    private HttpClient _http = null!;
    private readonly Dictionary<string, string> _plurals = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        _server = await InMemoryKubeApiServer.StartAsync(new InMemoryKubeApiServerOptions { IncludeCapiCrds = true });
        _http = new HttpClient { BaseAddress = _server.Url };
        var crdFiles = Directory.GetFiles(Repository.Path("packaging/crds"), "*.yaml")
            .Concat(Directory.GetFiles(Repository.Path("tests/ImmutableInfra.KubeApiServer/crds"), "*.yaml"));
        foreach (var file in crdFiles)
        {
            var text = await File.ReadAllTextAsync(file);
            if (!file.Contains("ImmutableInfra.KubeApiServer", StringComparison.Ordinal))
            {
                _server.RegisterCrds(text);
            }

            foreach (var crd in YamlDocuments.Load(text))
            {
                var spec = crd["spec"]!;
                _plurals[$"{spec["group"]}/{spec["names"]!["kind"]}"] = (string)spec["names"]!["plural"]!;
            }
        }
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Theory]
    [MemberData(nameof(ManifestTests.Templates), MemberType = typeof(ManifestTests))]
    public async Task RenderedTemplate_IsAcceptedAndReadsBackWithNothingLost(string template)
    {
        var rendered = TemplateVariables.Substitute(File.ReadAllText(Repository.Path("packaging/clusterctl/" + template)), TemplateVariables.Documented);
        var namespaceResponse = await _http.PostAsJsonAsync("/api/v1/namespaces", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "fleet" } });
        Assert.Equal(HttpStatusCode.Created, namespaceResponse.StatusCode);

        foreach (var document in YamlDocuments.Load(rendered))
        {
            var path = ResourcePath(document);
            var created = await _http.PostAsJsonAsync(path, document);
            Assert.True(created.StatusCode == HttpStatusCode.Created, $"POST {path}: {created.StatusCode} {await created.Content.ReadAsStringAsync()}");

            var stored = JsonNode.Parse(await _http.GetStringAsync($"{path}/{document["metadata"]!["name"]}"))!;
            // Nothing sent is lost or changed; the CRD's defaults may add fields, as a real server adds them.
            Assert.True(Holds(stored["spec"], document["spec"]), $"{document["kind"]} spec changed:\n{document["spec"]}\n---\n{stored["spec"]}");
        }
    }

    private static bool Holds(JsonNode? stored, JsonNode? sent) => (stored, sent) switch
    {
        (JsonObject have, JsonObject want) => want.All(p => have.ContainsKey(p.Key) && Holds(have[p.Key], p.Value)),
        _ => JsonNode.DeepEquals(stored, sent),
    };

    [Fact]
    public async Task InternalVip_Template_GivesTheBaremetalClusterItsVipAndVridAsNumbers_AndPoolsToTheTemplates()
    {
        var rendered = TemplateVariables.Substitute(File.ReadAllText(Repository.Path("packaging/clusterctl/cluster-template.yaml")), TemplateVariables.Documented);
        var documents = YamlDocuments.Load(rendered).ToDictionary(d => $"{d["kind"]}/{d["metadata"]!["name"]}");

        var balancer = documents["BaremetalCluster/prod1"]["spec"]!["controlPlaneLoadBalancer"]!;
        Assert.Equal(("Internal", "192.0.2.100", 51L, 6443L), ((string?)balancer["type"], (string?)balancer["vip"], (long)balancer["vrid"]!, (long)balancer["port"]!));
        Assert.Equal("prod1-control-plane-pool", (string?)documents["BaremetalMachineTemplate/prod1-control-plane"]["spec"]!["template"]!["spec"]!["poolRef"]!["name"]);
        Assert.Equal("prod1-worker-pool", (string?)documents["BaremetalMachineTemplate/prod1-md-0"]["spec"]!["template"]!["spec"]!["poolRef"]!["name"]);
        Assert.Equal(3L, (long)documents["KubeadmControlPlane/prod1-control-plane"]["spec"]!["replicas"]!);
        Assert.Equal(5L, (long)documents["MachineDeployment/prod1-md-0"]["spec"]!["replicas"]!);
        Assert.Equal("v1.33.1", (string?)documents["MachineDeployment/prod1-md-0"]["spec"]!["template"]!["spec"]!["version"]);
    }

    private string ResourcePath(JsonObject document)
    {
        var apiVersion = (string)document["apiVersion"]!;
        var group = apiVersion.Split('/')[0];
        var kind = (string)document["kind"]!;
        Assert.True(_plurals.TryGetValue($"{group}/{kind}", out var plural), $"no CRD serves {apiVersion} {kind}");
        return $"/apis/{apiVersion}/namespaces/{document["metadata"]!["namespace"]}/{plural}";
    }
}
