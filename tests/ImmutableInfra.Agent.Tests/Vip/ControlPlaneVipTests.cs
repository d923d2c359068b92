using System.Net;
using ImmutableInfra.Agent.Coordination;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Agent.Vip;
using ImmutableInfra.Contract.V1;
using ImmutableInfra.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;

namespace ImmutableInfra.Agent.Tests.Vip;

/// <summary>The VIP component: renders and applies keepalived.conf only on change, runs the arbiter, reports VipStatus.</summary>
public sealed class ControlPlaneVipTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new();
    private readonly ISystemd _systemd = Substitute.For<ISystemd>();
    private readonly ILocalAddresses _addresses = Substitute.For<ILocalAddresses>();
    private readonly ILeaseApiConnector _connector = Substitute.For<ILeaseApiConnector>();
    private readonly ObservedStateTracker _tracker = new(new ObservedState());
    private readonly VipOptions _options;
    private readonly ControlPlaneVip _vip;
    private bool _keepalivedActive;

    public ControlPlaneVipTests()
    {
        _options = new VipOptions { KeepalivedConfigPath = _dir.Combine("keepalived/keepalived.conf"), TrackFilePath = _dir.Combine("run/vip-eligibility") };
        _systemd.IsActiveAsync(_options.KeepalivedUnit, Arg.Any<CancellationToken>()).Returns(_ => _keepalivedActive);
        _systemd.When(s => s.StartAsync(_options.KeepalivedUnit, Arg.Any<CancellationToken>())).Do(_ => _keepalivedActive = true);
        // Before kubeadm wrote a kubeconfig: the initializing host holds the VIP by VRRP alone.
        _connector.TryConnect(Arg.Any<bool>(), Arg.Any<string>(), Arg.Any<string>()).Returns((LeaseApi?)null);
        var (_, local) = KeepalivedConfigRendererTests.Cluster(3, ipv6: false);
        _addresses.All().Returns(local);
        _vip = new ControlPlaneVip(
            _options, _addresses, new KeepalivedConfigFile(_options, _systemd), new TrackFileVrrpGate(_options.TrackFilePath), _connector, _tracker,
            () => "cp-1", _time, NullLoggerFactory.Instance);
    }

    public void Dispose()
    {
        _vip.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Role_RendersStartsKeepalivedAndReports_ThenRewritesOnlyOnChange_AndStopsGracefully()
    {
        var (role, local) = KeepalivedConfigRendererTests.Cluster(3, ipv6: false);
        role.Initializing = true;
        using var stop = new CancellationTokenSource();
        var running = _vip.RunAsync(stop.Token);

        var status = await OfferAndWaitAsync(role, s => s.Vip?.ArbiterState == nameof(ArbiterState.Bootstrapping));
        Assert.Equal(KeepalivedConfigRenderer.Render(role, local, _options.TrackFilePath).Text, await File.ReadAllTextAsync(_options.KeepalivedConfigPath));
        Assert.Equal("0\n", await File.ReadAllTextAsync(_options.TrackFilePath));
        await _systemd.Received(1).StartAsync(_options.KeepalivedUnit, Arg.Any<CancellationToken>());
        Assert.Equal(("prod/c1", VrrpState.Backup), (status.Vip.Cluster, status.Vip.VrrpState));

        // keepalived took the VIP: reported as MASTER.
        _addresses.All().Returns([.. local, new LocalAddress("ens3", IPAddress.Parse("198.18.0.100"), 24)]);
        _time.Advance(_options.RetryPeriod);
        status = await WaitAsync(s => s.Vip?.VrrpState == VrrpState.Master);

        // The same role again: nothing written, nothing reloaded.
        var written = File.GetLastWriteTimeUtc(_options.KeepalivedConfigPath);
        _vip.Offer(role.Clone());
        _time.Advance(_options.RetryPeriod);
        await WaitAsync(s => s.Vip is not null);
        await _systemd.DidNotReceive().ReloadOrRestartAsync(Arg.Any<string>(), Arg.Any<CancellationToken>());
        Assert.Equal(written, File.GetLastWriteTimeUtc(_options.KeepalivedConfigPath));

        // A new control plane: rewritten and reloaded (a reload keeps VRRP state, a restart would drop the VIP).
        var grown = role.Clone();
        grown.Peers.Add(new VipPeer { Host = "cp-4", Address = "198.18.0.14" });
        _vip.Offer(grown);
        await WaitUntilAsync(() => File.ReadAllText(_options.KeepalivedConfigPath).Contains("198.18.0.14", StringComparison.Ordinal));
        await WaitUntilAsync(() => _systemd.ReceivedCalls().Any(c => c.GetMethodInfo().Name == nameof(ISystemd.ReloadOrRestartAsync)));

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal((VrrpState.Stopped, nameof(ArbiterState.Stopped)), (_tracker.Snapshot().State.Vip.VrrpState, _tracker.Snapshot().State.Vip.ArbiterState));
        Assert.Equal("-254\n", await File.ReadAllTextAsync(_options.TrackFilePath));
    }

    [Fact]
    public async Task RoleRemoved_StopsKeepalivedAndClearsTheStatus()
    {
        var (role, _) = KeepalivedConfigRendererTests.Cluster(1, ipv6: false);
        using var stop = new CancellationTokenSource();
        var running = _vip.RunAsync(stop.Token);
        await OfferAndWaitAsync(role, s => s.Vip?.ArbiterState == nameof(ArbiterState.Following));
        Assert.Equal("-254\n", await File.ReadAllTextAsync(_options.TrackFilePath));

        _vip.Offer(null);
        await WaitAsync(s => s.Vip is null);

        await _systemd.Received(1).StopAsync(_options.KeepalivedUnit, Arg.Any<CancellationToken>());
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task VipOnNoLocalSubnet_IsNotApplied_AndRetriedUntilTheAddressAppears()
    {
        var (role, local) = KeepalivedConfigRendererTests.Cluster(1, ipv6: false);
        role.Vip = "192.0.2.100";
        using var stop = new CancellationTokenSource();
        var running = _vip.RunAsync(stop.Token);
        _vip.Offer(role);
        Assert.False(File.Exists(_options.KeepalivedConfigPath));

        // The address shows up (static network configuration applied late): the next retry applies the role.
        _addresses.All().Returns([.. local, new LocalAddress("ens5", IPAddress.Parse("192.0.2.11"), 24)]);
        await WaitUntilAsync(() => File.Exists(_options.KeepalivedConfigPath));

        Assert.Contains("interface ens5", await File.ReadAllTextAsync(_options.KeepalivedConfigPath), StringComparison.Ordinal);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public void LeaseName_DefaultsToTheClusterName()
    {
        Assert.Equal(("kube-system", "c1-control-plane-vip"), ControlPlaneVip.LeaseOf(new VipRole { Cluster = "prod/c1" }));
        Assert.Equal(("ns", "l"), ControlPlaneVip.LeaseOf(new VipRole { Cluster = "prod/c1", LeaseNamespace = "ns", LeaseName = "l" }));
    }

    private Task<ObservedState> OfferAndWaitAsync(VipRole role, Func<ObservedState, bool> condition)
    {
        _vip.Offer(role);
        return WaitAsync(condition);
    }

    // Waits on the tracker's change notifications (the component runs on the thread pool), bounded in time.
    private async Task<ObservedState> WaitAsync(Func<ObservedState, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var (state, changed) = _tracker.Snapshot();
            if (condition(state))
            {
                return state;
            }

            await changed.WaitAsync(timeout.Token);
        }
    }

    private async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            _time.Advance(_options.ConfigRetry);
            await Task.Yield();
            await Task.Delay(5);
        }

        Assert.True(condition());
    }
}
