using k8s;
using k8s.Models;

namespace ImmutableInfra.Dashboard.Tests.Support;

/// <summary>Many hosts at once: create and status writes, a bounded number in flight.</summary>
internal static class Bulk
{
    public static readonly string[] States = ["Available", "Claimed", "Provisioning", "Provisioned", "Deprovisioning", "Offline", "Failed"];

    public static async Task HostsAsync(ApiLab lab, int count, int parallel = 16)
    {
        await lab.Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Objects.Ns } });
        await lab.CreateAsync("machineinventorypools", Objects.Pool("workers"));
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, _) =>
            await lab.CreateAsync("machineinventories", Objects.Host($"host-{i:D5}", "workers", States[i % States.Length], i)));
    }
}
