using System.Net;
using System.Text.Json;
using ImmutableInfra.KubeApiServer.Tests.Fixtures;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ImmutableInfra.KubeApiServer.Tests;

/// <summary>KubernetesClient (the official C# client) passes the session's reads and writes against the server.</summary>
public sealed class OfficialClientTests
{
    private const string Group = "infrastructure.cluster.x-k8s.io";
    private const string Version = "v1beta1";
    private const string Plural = "baremetalclusters";
    private const string Ns = "official";

    [Fact]
    public async Task OfficialClient_Session_Passes()
    {
        await using var session = await ServerSession.StartAsync(withOurCrds: true);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(session.Kubeconfig));

        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Ns } });
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "creds" }, StringData = new Dictionary<string, string> { ["token"] = "s3cret" } }, Ns);
        var secret = await client.CoreV1.ReadNamespacedSecretAsync("creds", Ns);
        Assert.Equal("s3cret", System.Text.Encoding.UTF8.GetString(secret.Data["token"]));
        Assert.Equal("Opaque", secret.Type);

        var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(Cluster("c1", 80), Group, Version, Ns, Plural);
        Assert.Equal(6443, created.GetProperty("spec").GetProperty("controlPlaneLoadBalancer").GetProperty("port").GetInt32());

        // Server-side apply with a field manager, then a merge patch.
        var applied = await client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(
            new V1Patch(JsonSerializer.Serialize(Cluster("c2", 81)), V1Patch.PatchType.ApplyPatch), Group, Version, Ns, Plural, "c2", fieldManager: "official-client");
        Assert.Equal("official-client", applied.GetProperty("metadata").GetProperty("managedFields")[0].GetProperty("manager").GetString());
        var patched = await client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(
            new V1Patch("""{"spec":{"controlPlaneLoadBalancer":{"vrid":82}}}""", V1Patch.PatchType.MergePatch), Group, Version, Ns, Plural, "c1");
        Assert.Equal(82, patched.GetProperty("spec").GetProperty("controlPlaneLoadBalancer").GetProperty("vrid").GetInt32());

        // A watch from the list's resourceVersion sees the next change.
        var list = await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(Group, Version, Ns, Plural);
        Assert.Equal(2, list.GetProperty("items").GetArrayLength());
        var from = list.GetProperty("metadata").GetProperty("resourceVersion").GetString();
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = client.CustomObjects.WatchListNamespacedCustomObjectAsync(Group, Version, Ns, Plural, resourceVersion: from, cancellationToken: watching.Token);
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, Ns, Plural, "c2");
        await foreach (var (type, item) in events)
        {
            Assert.Equal(WatchEventType.Deleted, type);
            Assert.Equal("c2", ((JsonElement)item).GetProperty("metadata").GetProperty("name").GetString());
            break;
        }

        // Refused as a real server refuses it.
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(Cluster("bad", 999), Group, Version, Ns, Plural));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Response.StatusCode);
        Assert.Contains("spec.controlPlaneLoadBalancer.vrid in body should be less than or equal to 255", refused.Response.Content);

        // Dry run writes nothing.
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, Ns, Plural, "c1", dryRun: "All");
        Assert.Equal(1, (await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(Group, Version, Ns, Plural)).GetProperty("items").GetArrayLength());
    }

    private static Dictionary<string, object> Cluster(string name, int vrid) => new Dictionary<string, object>
    {
        ["apiVersion"] = $"{Group}/{Version}",
        ["kind"] = "BaremetalCluster",
        ["metadata"] = new Dictionary<string, object> { ["name"] = name, ["namespace"] = Ns },
        ["spec"] = new Dictionary<string, object> { ["controlPlaneLoadBalancer"] = new Dictionary<string, object> { ["type"] = "Internal", ["vip"] = "192.0.2.60", ["vrid"] = vrid } },
    };
}
