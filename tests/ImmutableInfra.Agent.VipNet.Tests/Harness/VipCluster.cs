using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using ImmutableInfra.Kubernetes.Config;
using ImmutableInfra.Agent.Vip;
using ImmutableInfra.Contract.V1;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.VipNet.Harness;

/// <summary>
/// Three control-plane hosts (network namespaces on the lab's bridge), each running real keepalived with the
/// agent's rendered configuration and, when arbitrated, the agent's LeaseArbiter in-process talking to the lab's
/// API server from inside the host's namespace; plus a client namespace. Unarbitrated is plain keepalived: the
/// same configuration with the track file fixed at 0. A sampler records the VIP's holders every 20 ms.
/// </summary>
internal sealed class VipCluster : IAsyncDisposable
{
    public const int Hosts = 3;
    public const int ProbePort = 7000;
    private const int MaxSamples = 60 * 50;

    private readonly VipLab _lab;
    private readonly int _index;
    private readonly TimeSpan _advert;
    private readonly List<VipNode> _nodes = [];
    private readonly ConcurrentQueue<Sample> _samples = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly string _leaseName;
    private readonly EventRecorder _events;
    private NetnsThread? _client;
    private Task? _sampler;

    public VipCluster(VipLab lab, int index, bool arbitrated, TimeSpan advert)
    {
        _lab = lab;
        _index = index;
        Arbitrated = arbitrated;
        _advert = advert;
        Vip = Address(5);
        _leaseName = $"{lab.Prefix}{index:00}-control-plane-vip";
        _events = new EventRecorder(_clock);
    }

    /// <summary>Lease timings of the arbitrated runs: hard-kill failover is about LeaseDuration + RetryPeriod + the VRRP master-down time.</summary>
    public static VipOptions ArbiterOptions { get; } = new()
    {
        LeaseDuration = TimeSpan.FromSeconds(1.2),
        RenewDeadline = TimeSpan.FromSeconds(0.6),
        RetryPeriod = TimeSpan.FromSeconds(0.1),
        ProbeTimeout = TimeSpan.FromSeconds(0.2),
    };

    public bool Arbitrated { get; }

    public IPAddress Vip { get; }

    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<Sample> Samples => [.. _samples];

    public int Vrid => 100 + _index;

    private string Name(string role) => $"{_lab.Prefix}{_index:00}{role}";

    private IPAddress Address(int slot) => IPAddress.Parse($"198.18.{_lab.Subnet}.{(_index * 5) + slot}");

    public async Task StartAsync()
    {
        var script = new StringBuilder();
        for (var i = 0; i <= Hosts; i++)
        {
            var ns = i == Hosts ? Name("c") : Name("n" + i);
            script.Append(CultureInfo.InvariantCulture, $"""
                ip netns add {ns}
                ip link add {Name("h" + i)} type veth peer name {Name("p" + i)}
                ip link set {Name("p" + i)} netns {ns}
                ip -n {ns} link set {Name("p" + i)} name eth0
                ip -n {ns} addr add {Address(i + 1)}/24 dev eth0
                ip -n {ns} link set lo up
                ip -n {ns} link set eth0 up
                ip link set {Name("h" + i)} master {_lab.Bridge} up

                """);
            if (i < Hosts)
            {
                // The address setup IPVS direct routing needs (KeepalivedConfigRenderer): only the holder answers ARP for the VIP.
                script.Append(CultureInfo.InvariantCulture, $"ip netns exec {ns} sysctl -q -w net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2\n");
            }
        }

        // Each namespace is recorded before the script runs so disposal removes whatever it created.
        for (var i = 0; i < Hosts; i++)
        {
            _nodes.Add(new VipNode(i, Name("n" + i), Address(i + 1)));
        }

        await Shell.RunAsync(script.ToString()).ConfigureAwait(false);
        _client = new NetnsThread(Name("c"));
        foreach (var node in _nodes)
        {
            await StartNodeAsync(node).ConfigureAwait(false);
        }

        _sampler = Task.Run(() => SampleAsync(_stop.Token));
    }

    /// <summary>Waits until exactly one host has held the VIP for <paramref name="stable"/>; returns it.</summary>
    public async Task<int> WaitForSingleHolderAsync(TimeSpan stable, TimeSpan timeout)
    {
        var deadline = Now + timeout;
        while (Now < deadline)
        {
            var samples = Samples;
            var since = Now - stable;
            var recent = samples.Where(s => s.At >= since).ToList();
            if (samples.Count > 0 && samples[0].At <= since && recent.Count > 0
                && recent.All(s => s.SingleHolder is not null && s.SingleHolder == recent[0].SingleHolder))
            {
                return recent[0].SingleHolder!.Value;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        throw new TimeoutException($"no single stable VIP holder within {timeout}; {Describe()}");
    }

    /// <summary>The host dies: keepalived and the arbiter SIGKILLed/abandoned (no release, no demotion), its link down.</summary>
    public async Task<TimeSpan> HardKillAsync(int host)
    {
        var node = _nodes[host];
        var at = Now;
        node.Dead = true;
        node.KillKeepalived(Native.SigKill);
        await node.AbandonArbiterAsync().ConfigureAwait(false);
        await Shell.RunAsync($"ip -n {node.Netns} link set eth0 down").ConfigureAwait(false);
        return at;
    }

    /// <summary>The host's route to the API server disappears; keepalived and VRRP are untouched.</summary>
    public async Task<TimeSpan> CutApiAsync(int host)
    {
        var at = Now;
        await Shell.RunAsync($"ip -n {_nodes[host].Netns} route add unreachable {_lab.ApiAddress}/32").ConfigureAwait(false);
        return at;
    }

    /// <summary>Hosts stop hearing each other (bridge port isolation: VRRP lost) while each still reaches the API server.</summary>
    public async Task<TimeSpan> CutVrrpAsync()
    {
        var at = Now;
        await Shell.RunAsync(string.Join('\n', _nodes.Select(n => $"bridge link set dev {Name("h" + n.Index)} isolated on"))).ConfigureAwait(false);
        return at;
    }

    /// <summary>Graceful stop of the agent and keepalived (arbitrated: demote, release the Lease, then SIGTERM keepalived).</summary>
    public async Task<TimeSpan> GracefulStopAsync(int host)
    {
        var node = _nodes[host];
        var at = Now;
        await node.StopArbiterGracefullyAsync().ConfigureAwait(false);
        node.KillKeepalived(Native.SigTerm);
        return at;
    }

    public static async Task RunForAsync(TimeSpan span) => await Task.Delay(span).ConfigureAwait(false);

    public FaultOutcome Outcome(TimeSpan faultAt, int oldHolder) => FaultOutcome.From(Samples, faultAt, oldHolder);

    /// <summary>The holder timeline; verbose adds the arbiters' events and keepalived's last lines (for failures).</summary>
    public string Describe(bool verbose = true)
    {
        var samples = Samples;
        var changes = new StringBuilder();
        var previous = -2;
        foreach (var s in samples)
        {
            if (s.Holders != previous)
            {
                changes.Append(CultureInfo.InvariantCulture, $" {s.At.TotalMilliseconds:0}ms:{Convert.ToString(s.Holders, 2).PadLeft(Hosts, '0')}");
                previous = s.Holders;
            }
        }

        var states = string.Join(", ", _nodes.Select(n => $"n{n.Index}={n.Arbiter?.Snapshot().State.ToString() ?? "plain"}"));
        return $"{(Arbitrated ? "arbitrated" : "plain keepalived")}, {samples.Count} samples, holder changes (bit i = host i):{changes}; {states}"
            + (verbose
                ? "\narbiter events:\n" + string.Join('\n', _events.Lines.TakeLast(60))
                    + "\nlast keepalived lines:\n" + string.Join('\n', _nodes.SelectMany(n => n.Log.TakeLast(15).Select(l => $"n{n.Index}: {l}")))
                : string.Empty);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_sampler is not null)
        {
            await _sampler.ConfigureAwait(false);
        }

        foreach (var node in _nodes)
        {
            node.KillKeepalived(Native.SigKill);
            await node.AbandonArbiterAsync().ConfigureAwait(false);
            node.Dispose();
        }

        _client?.Dispose();
        var namespaces = _nodes.Select(n => n.Netns).Append(Name("c"));
        await Shell.RunAsync(string.Join('\n', namespaces.Select(ns => $"ip netns del {ns} 2>/dev/null || true")), check: false).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task StartNodeAsync(VipNode node)
    {
        node.Thread = new NetnsThread(node.Netns);
        var role = new VipRole
        {
            Cluster = "lab/" + _lab.Prefix,
            Vip = Vip.ToString(),
            Port = 6443,
            Vrid = (uint)Vrid,
            AdvertInterval = Duration.FromTimeSpan(_advert),
            LeaseNamespace = "kube-system",
            LeaseName = _leaseName,
        };
        foreach (var peer in _nodes.Where(n => n != node))
        {
            role.Peers.Add(new VipPeer { Host = peer.Netns, Address = peer.Address.ToString() });
        }

        var config = KeepalivedConfigRenderer.Render(role, [new LocalAddress("eth0", node.Address, 24)], node.TrackFile);
        await File.WriteAllTextAsync(node.ConfigFile, config.Text).ConfigureAwait(false);
        if (Arbitrated)
        {
            // The arbiter writes the track file (barred) before keepalived reads it.
            var connector = new NetnsLeaseApiConnector(new KubeConnectionSettings { Server = _lab.Server.Url }, node.Thread, ArbiterOptions);
            node.Arbiter = new LeaseArbiter(node.Netns, role.LeaseNamespace, role.LeaseName, initializing: false, ArbiterOptions, connector,
                new TrackFileVrrpGate(node.TrackFile), TimeProvider.System, _events.For("n" + node.Index));
        }
        else
        {
            await File.WriteAllTextAsync(node.TrackFile, "0\n").ConfigureAwait(false);
        }

        node.Died = e => _events.For("n" + node.Index).LogError(e, "arbiter loop died");
        await node.StartResponderAsync().ConfigureAwait(false);
        node.StartKeepalived();
        node.StartArbiter();
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        for (var i = 0; i < MaxSamples && !cancellationToken.IsCancellationRequested; i++)
        {
            var at = Now;
            var reach = ProbeFromClientAsync();
            var holding = await Task.WhenAll(_nodes.Select(n => n.Dead || n.Thread is null ? Task.FromResult(false) : n.Thread.HasAddressAsync("eth0", Vip))).ConfigureAwait(false);
            var mask = 0;
            for (var h = 0; h < holding.Length; h++)
            {
                mask |= holding[h] ? 1 << h : 0;
            }

            _samples.Enqueue(new Sample(at, mask, await reach.ConfigureAwait(false)));
            try
            {
                await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<int> ProbeFromClientAsync()
    {
        if (_client is null)
        {
            return -1;
        }

        using var socket = await _client.CreateTcpSocketAsync(AddressFamily.InterNetwork).ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(15));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(Vip, ProbePort), timeout.Token).ConfigureAwait(false);
            var answer = new byte[1];
            return await socket.ReceiveAsync(answer, SocketFlags.None, timeout.Token).ConfigureAwait(false) == 1 ? answer[0] : -1;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return -1;
        }
    }
}
