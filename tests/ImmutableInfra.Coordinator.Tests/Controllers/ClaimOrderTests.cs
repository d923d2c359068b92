using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Coordinator.Controllers;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Coordinator.Tests.Controllers;

/// <summary>Which hosts a machine tries: eligible ones only, each once, stable per machine, spread between machines.</summary>
public sealed class ClaimOrderTests
{
    private static readonly IReadOnlyList<MachineInventory> Pool = [.. Enumerable.Range(0, 1000).Select(i => Host(i, i % 3 == 0 ? HostState.Provisioned : HostState.Available))];

    [Fact]
    public void PickAll_IsEveryEligibleHostOnce()
    {
        var picked = ClaimOrder.Pick(Pool, "machine-a", HostEligibility.IsFree, Pool.Count).Select(h => h.Metadata.Name).ToList();

        var free = Pool.Where(HostEligibility.IsFree).Select(h => h.Metadata.Name).ToList();
        Assert.Equal(free.Order(StringComparer.Ordinal), picked.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Pick_IsStablePerMachine_AndAContinuationOfItself()
    {
        var five = ClaimOrder.Pick(Pool, "machine-a", HostEligibility.IsFree, 5);
        var ten = ClaimOrder.Pick(Pool, "machine-a", HostEligibility.IsFree, 10);

        Assert.Equal(5, five.Count);
        Assert.Equal(five, ten.Take(5));
    }

    [Fact]
    public void Pick_LooksAtOnlyAsManyHostsAsItNeeds()
    {
        var looked = 0;
        ClaimOrder.Pick(Pool, "machine-a", h => { looked++; return HostEligibility.IsFree(h); }, 5);

        // Two in three hosts are free: five of them take about eight looks, not a thousand.
        Assert.InRange(looked, 5, 12);
    }

    [Fact]
    public void DifferentMachines_StartAtDifferentHosts()
    {
        var firsts = Enumerable.Range(0, 50).Select(i => ClaimOrder.Pick(Pool, $"machine-{i}", HostEligibility.IsFree, 1)[0].Metadata.Name).ToHashSet();

        // 50 claimants over ~667 free hosts: a shared first choice makes them race; nearly all differ.
        Assert.True(firsts.Count >= 45, $"only {firsts.Count} distinct first choices for 50 machines");
    }

    [Fact]
    public void ClaimedCordonedAndBusyHosts_AreNeverFree()
    {
        var claimed = Host(1, HostState.Available);
        claimed.Status!.Claim = new HostClaim { MachineRef = new MachineReference { Name = "other", Uid = "u" } };
        var cordoned = Host(2, HostState.Available);
        cordoned.Spec!.Maintenance = true;
        var free = Host(3, HostState.Available);

        var picked = ClaimOrder.Pick([claimed, cordoned, Host(4, HostState.Registering), free], "machine-a", HostEligibility.IsFree, 5);

        Assert.Equal([free], picked);
    }

    private static MachineInventory Host(int i, HostState state) => new()
    {
        Metadata = new ObjectMeta { Name = $"host-{i:D4}", Namespace = "pool", Uid = $"uid-{i}" },
        Spec = new MachineInventorySpec(),
        Status = new MachineInventoryStatus { State = state },
    };
}
