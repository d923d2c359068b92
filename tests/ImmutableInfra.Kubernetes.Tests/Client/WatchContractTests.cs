using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Kubernetes.Tests.Fixtures;

namespace ImmutableInfra.Kubernetes.Tests.Client;

[Collection(KubeApiGroup.Name)]
public sealed class WatchContractTests(KubeApiFixture api)
{
    [Fact]
    public async Task Watch_FromListResourceVersion_SeesLaterChangesInOrder()
    {
        var client = api.Client.Resource(KubeResources.ConfigMaps);
        var start = await client.ListAsync(api.Namespace, new ListOptions { LabelSelector = "watch=order" });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<(WatchEventType, string)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in client.WatchAsync(api.Namespace, new WatchOptions { ResourceVersion = start.Metadata.ResourceVersion, LabelSelector = "watch=order" }, timeout.Token))
            {
                if (e.Type == WatchEventType.Bookmark)
                {
                    continue;
                }

                seen.Add((e.Type, e.Item!.Metadata.Name!));
                if (e.Type == WatchEventType.Deleted)
                {
                    return;
                }
            }
        });

        var map = await client.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "watched", Namespace = api.Namespace, Labels = new() { ["watch"] = "order" } } });
        map.Data = new() { ["k"] = "v" };
        await client.UpdateAsync(map);
        await client.DeleteAsync(api.Namespace, "watched");
        await watching.WaitAsync(timeout.Token);

        Assert.Equal([(WatchEventType.Added, "watched"), (WatchEventType.Modified, "watched"), (WatchEventType.Deleted, "watched")], seen);
    }
}
