using System.Text.Json;
using ImmutableInfra.Dashboard.Fleet;
using ImmutableInfra.Dashboard.Tests.Support;

namespace ImmutableInfra.Dashboard.Tests.Fleet;

public sealed class VipHistoryTests
{
    private static HostView ControlPlane(string name, string vrrp, string changedAt)
    {
        var host = Objects.Host(name, "control-plane", "Provisioned");
        var status = Objects.ControlPlaneClaim(host["status"]!.AsObject(), "alpha", "m-" + name, vrrp, name);
        status["vip"]!["lastFailoverTime"] = changedAt;
        return HostDecoder.Decode(JsonDocument.Parse(host.ToJsonString()).RootElement.Clone());
    }

    [Fact]
    public void Observe_MasterMovesBetweenHosts_RecordsFromToAndHowLongThePreviousHeld()
    {
        var history = new VipHistory(TimeProvider.System, perCluster: 2);
        history.Observe(null, ControlPlane("cp-0", "Master", "2026-01-01T00:00:00Z"));
        Assert.Empty(history.For("fleet/alpha"));

        history.Observe(null, ControlPlane("cp-1", "Master", "2026-01-01T00:05:00Z"));
        history.Observe(ControlPlane("cp-1", "Master", "2026-01-01T00:05:00Z"), ControlPlane("cp-1", "Master", "2026-01-01T00:05:00Z"));
        history.Observe(null, ControlPlane("cp-2", "Backup", "2026-01-01T00:06:00Z"));

        var change = Assert.Single(history.For("fleet/alpha"));
        Assert.Equal(("cp-0", "cp-1", TimeSpan.FromMinutes(5)), (change.From, change.To, change.PreviousHeld));
    }

    [Fact]
    public void Observe_KeepsAtMostTheBound()
    {
        var history = new VipHistory(TimeProvider.System, perCluster: 2);
        for (var i = 0; i < 6; i++)
        {
            history.Observe(null, ControlPlane($"cp-{i % 3}", "Master", $"2026-01-01T00:0{i}:00Z"));
        }

        Assert.Equal(["cp-2", "cp-1"], history.For("fleet/alpha").Select(f => f.To));
    }
}
