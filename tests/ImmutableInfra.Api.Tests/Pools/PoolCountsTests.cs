using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Api.Tests.Pools;

public sealed class PoolCountsTests
{
    [Fact]
    public void SetCounts_CountsEachStateAndTheTotal_ZeroForAbsentStates()
    {
        var status = new MachineInventoryPoolStatus();

        var changed = status.SetCounts([HostState.Available, HostState.Available, HostState.Claimed, HostState.Offline]);

        Assert.True(changed);
        Assert.Equal((2, 1, 1, 0, 0, 4),
            (status.Available!.Value, status.Claimed!.Value, status.Offline!.Value, status.Registering!.Value, status.Failed!.Value, status.Total!.Value));
    }

    [Fact]
    public void SetCounts_SameStatesAgain_ReportsNoChange()
    {
        var status = new MachineInventoryPoolStatus();
        status.SetCounts([HostState.Provisioned, HostState.Maintenance]);

        Assert.False(status.SetCounts([HostState.Maintenance, HostState.Provisioned]));
        Assert.True(status.SetCounts([HostState.Maintenance]));
        Assert.Equal(0, status.Provisioned);
    }
}
