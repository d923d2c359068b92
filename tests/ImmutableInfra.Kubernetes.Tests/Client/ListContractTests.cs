using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Kubernetes.Tests.Fixtures;

namespace ImmutableInfra.Kubernetes.Tests.Client;

[Collection(KubeApiGroup.Name)]
public sealed class ListContractTests(KubeApiFixture api)
{
    private async Task<(ResourceClient<ConfigMap> Client, string Prefix)> SeedAsync(string prefix, int count, Func<int, Dictionary<string, string>> labels)
    {
        var client = api.Client.Resource(KubeResources.ConfigMaps);
        for (var i = 0; i < count; i++)
        {
            var map = new ConfigMap { Metadata = new ObjectMeta { Name = $"{prefix}-{i:D2}", Namespace = api.Namespace, Labels = labels(i) } };
            map.Metadata.Labels!["set"] = prefix;
            await client.CreateAsync(map);
        }

        return (client, prefix);
    }

    [Fact]
    public async Task List_WithLimitAndContinue_ReturnsEveryItemOnceFromOneSnapshot()
    {
        var (client, prefix) = await SeedAsync("page", 7, _ => []);
        var names = new List<string>();
        var first = await client.ListAsync(api.Namespace, new ListOptions { LabelSelector = $"set={prefix}", Limit = 3 });
        names.AddRange(first.Items.Select(i => i.Metadata.Name!));

        // Written after the first page: a consistent snapshot does not show it.
        await client.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "page-late", Namespace = api.Namespace, Labels = new() { ["set"] = prefix } } });
        var pages = 1;
        var next = first.Metadata.Continue;
        while (next is not null)
        {
            var page = await client.ListAsync(api.Namespace, new ListOptions { LabelSelector = $"set={prefix}", Limit = 3, Continue = next });
            Assert.Equal(first.Metadata.ResourceVersion, page.Metadata.ResourceVersion);
            names.AddRange(page.Items.Select(i => i.Metadata.Name!));
            next = page.Metadata.Continue;
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"page-{i:D2}"), names);
    }

    [Theory]
    [InlineData("tier=web", new[] { 0, 3 })]
    [InlineData("tier==web", new[] { 0, 3 })]
    [InlineData("tier!=web", new[] { 1, 2, 4, 5 })]
    [InlineData("tier in (db,cache)", new[] { 1, 2, 4 })]
    [InlineData("tier notin (web,db)", new[] { 2, 5 })]
    [InlineData("tier", new[] { 0, 1, 2, 3, 4 })]
    [InlineData("!tier", new[] { 5 })]
    [InlineData("tier=web,zone=b", new[] { 3 })]
    public async Task List_LabelSelector_MatchesLikeTheApiServer(string selector, int[] expected)
    {
        var prefix = "sel" + Guid.NewGuid().ToString("N")[..6];
        string[] tiers = ["web", "db", "cache", "web", "db"];
        var (client, _) = await SeedAsync(prefix, 6, i => i < 5
            ? new() { ["tier"] = tiers[i], ["zone"] = i < 3 ? "a" : "b" }
            : new() { ["zone"] = "b" });

        var list = await client.ListAsync(api.Namespace, new ListOptions { LabelSelector = $"set={prefix},{selector}" });

        Assert.Equal(expected.Select(i => $"{prefix}-{i:D2}"), list.Items.Select(i => i.Metadata.Name));
    }

    [Fact]
    public async Task List_FieldSelector_MetadataName()
    {
        var (client, prefix) = await SeedAsync("field", 3, _ => []);

        var list = await client.ListAsync(api.Namespace, new ListOptions { FieldSelector = $"metadata.name={prefix}-01" });

        Assert.Equal("field-01", Assert.Single(list.Items).Metadata.Name);
    }
}
