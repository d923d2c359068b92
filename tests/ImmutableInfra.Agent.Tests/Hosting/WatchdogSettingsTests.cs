using ImmutableInfra.Agent.Hosting;

namespace ImmutableInfra.Agent.Tests.Hosting;

public sealed class WatchdogSettingsTests
{
    [Theory]
    [InlineData("20000000", null, 10_000)]
    [InlineData("20000000", "", 10_000)]
    [InlineData("20000000", "4242", 10_000)]
    public void PingInterval_ForThisProcess_IsHalfTheWatchdog(string usec, string? pid, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), WatchdogSettings.PingInterval(usec, pid, 4242));

    [Theory]
    [InlineData(null, null)]
    [InlineData("0", null)]
    [InlineData("garbage", null)]
    [InlineData("20000000", "1")]
    public void PingInterval_NoWatchdogOrAnotherProcess_IsNull(string? usec, string? pid) =>
        Assert.Null(WatchdogSettings.PingInterval(usec, pid, 4242));
}
