using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf.WellKnownTypes;
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
    private VipRole? _role;
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

    /// <summary>The arbiter's shipped timings (VipOptions' defaults): what users get.</summary>
    public static VipOptions ArbiterOptions { get; } = new();

    public bool Arbitrated { get; }

    public IPAddress Vip { get; }

    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<Sample> Samples => [.. _samples];

    public IReadOnlyList<VipNode> Nodes => _nodes;

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
        node.DiedAt = DateTime.Now;
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

    public async Task RestoreApiAsync(int host) =>
        await Shell.RunAsync($"ip -n {_nodes[host].Netns} route del unreachable {_lab.ApiAddress}/32").ConfigureAwait(false);

    /// <summary>Waits until one host other than <paramref name="old"/> has held the VIP alone for <paramref name="stable"/>.</summary>
    public async Task<int> WaitForNewHolderAsync(int old, TimeSpan stable, TimeSpan timeout)
    {
        var deadline = Now + timeout;
        while (Now < deadline)
        {
            var holder = await WaitForSingleHolderAsync(stable, deadline - Now).ConfigureAwait(false);
            if (holder != old)
            {
                return holder;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        throw new TimeoutException($"the VIP did not leave host {old} within {timeout}; {Describe()}");
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

    /// <summary>Every API request (every host's) waits this long before it is served.</summary>
    public TimeSpan SetApiLatency(TimeSpan latency)
    {
        _lab.Server.Latency = latency;
        return Now;
    }

    /// <summary>This fraction of API requests is answered 429 with Retry-After: 1.</summary>
    public TimeSpan SetApiThrottling(double fraction)
    {
        _lab.Server.ThrottledFraction = fraction;
        return Now;
    }

    /// <summary>The host's agent stops (no step, no gate write, no sign of life); its keepalived runs on.</summary>
    public TimeSpan FreezeArbiter(int host)
    {
        _nodes[host].Freeze();
        return Now;
    }

    public void ThawArbiter(int host) => _nodes[host].Thaw();

    /// <summary>The host's link goes down and up every <paramref name="period"/> for <paramref name="span"/>, then stays up.</summary>
    public async Task<TimeSpan> FlapLinkAsync(int host, TimeSpan period, TimeSpan span)
    {
        var at = Now;
        var up = true;
        while (Now - at < span)
        {
            up = !up;
            await Shell.RunAsync($"ip -n {_nodes[host].Netns} link set eth0 {(up ? "up" : "down")}").ConfigureAwait(false);
            await Task.Delay(period).ConfigureAwait(false);
        }

        if (!up)
        {
            await Shell.RunAsync($"ip -n {_nodes[host].Netns} link set eth0 up").ConfigureAwait(false);
        }

        return at;
    }

    /// <summary>The host's wall clock jumps (the arbiter's TimeProvider); its monotonic clock does not.</summary>
    public TimeSpan JumpWallClock(int host, TimeSpan by)
    {
        _nodes[host].Time.Offset += by;
        return Now;
    }

    /// <summary>keepalived reloads its configuration (SIGHUP), as on every config change.</summary>
    public TimeSpan ReloadKeepalived(int host)
    {
        _nodes[host].SignalKeepalived(Native.SigHup);
        return Now;
    }

    /// <summary>Every host reboots at once: keepalived and the agent killed, the VIP gone from eth0, both started again.</summary>
    public async Task<TimeSpan> RebootAllAsync()
    {
        var at = Now;
        await Task.WhenAll(_nodes.Select(n => n.AbandonArbiterAsync())).ConfigureAwait(false);
        foreach (var node in _nodes)
        {
            node.KillKeepalived(Native.SigKill);
            node.Arbiter?.Dispose();
        }

        await Shell.RunAsync(string.Join('\n', _nodes.Select(n => $"ip -n {n.Netns} addr del {Vip}/24 dev eth0 2>/dev/null || true")), check: false).ConfigureAwait(false);
        foreach (var node in _nodes)
        {
            node.Arbiter = CreateArbiter(node);
            node.StartKeepalived();
            node.StartArbiter();
        }

        return at;
    }

    /// <summary>Hosts hear each other again after <see cref="CutVrrpAsync"/>.</summary>
    public async Task<TimeSpan> HealVrrpAsync()
    {
        var at = Now;
        await Shell.RunAsync(string.Join('\n', _nodes.Select(n => $"bridge link set dev {Name("h" + n.Index)} isolated off"))).ConfigureAwait(false);
        return at;
    }

    /// <summary>
    /// Time with the VIP on two or more live hosts from `ip monitor`'s microsecond timestamps of every add and
    /// removal (the 20 ms samples could miss a few milliseconds of overlap). ip stamps an event when it reads it:
    /// exact on an idle machine, reordered across namespaces when a monitor is scheduled late.
    /// </summary>
    public TimeSpan MonitorOverlap()
    {
        var events = _nodes.SelectMany(n => n.AddressEvents.Select(e => (e.At, e.Added, Node: n.Index))).OrderBy(e => e.At).ToList();
        var holding = new bool[Hosts];
        var overlap = TimeSpan.Zero;
        DateTime? since = null;
        foreach (var (at, added, node) in events)
        {
            holding[node] = added;
            var count = Enumerable.Range(0, Hosts).Count(i => holding[i] && !(_nodes[i].DiedAt is { } died && at >= died));
            if (count >= 2 && since is null)
            {
                since = at;
            }
            else if (count < 2 && since is { } start)
            {
                overlap += at - start;
                since = null;
            }
        }

        return overlap + (since is { } open ? DateTime.Now - open : TimeSpan.Zero);
    }

    public static async Task RunForAsync(TimeSpan span) => await Task.Delay(span).ConfigureAwait(false);

    public FaultOutcome Outcome(TimeSpan faultAt, int oldHolder) => FaultOutcome.From(Samples, faultAt, oldHolder, Arbitrated ? MonitorOverlap() : null);

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

        var states = string.Join(", ", _nodes.Select(n => $"n{n.Index}={n.Arbiter?.Snapshot().State.ToString() ?? "plain"}"))
            + $"; API requests {_lab.Server.Requests}, throttled {_lab.Server.Throttled}";
        return $"{(Arbitrated ? "arbitrated" : "plain keepalived")}, {samples.Count} samples, holder changes (bit i = host i):{changes}; {states}"
            + (verbose
                ? "\narbiter events:\n" + string.Join('\n', _events.Lines.TakeLast(60))
                    + "\nVIP add/remove (ip monitor):\n" + string.Join('\n', _nodes.SelectMany(n => n.AddressEvents.Select(e => (e.At, Line: $"n{n.Index} {(e.Added ? "add" : "del")}"))).OrderBy(e => e.At).Select(e => $"{e.At:HH:mm:ss.ffffff} {e.Line}"))
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
        _role = role;
        if (Arbitrated)
        {
            // The arbiter writes the track file (barred) before keepalived reads it.
            node.Arbiter = CreateArbiter(node);
        }
        else
        {
            await File.WriteAllTextAsync(node.TrackFile, "0\n").ConfigureAwait(false);
            // Plain keepalived has no arbiter: its sign of life never ends.
            await File.WriteAllTextAsync(TrackFileVrrpGate.AlivePathOf(node.TrackFile), long.MaxValue.ToString(CultureInfo.InvariantCulture) + "\n").ConfigureAwait(false);
        }

        node.Died = e => _events.For("n" + node.Index).LogError(e, "arbiter loop died");
        await node.StartResponderAsync().ConfigureAwait(false);
        node.StartAddressMonitor(Vip);
        node.StartKeepalived();
        node.StartArbiter();
    }

    private LeaseArbiter CreateArbiter(VipNode node) =>
        new(node.Netns, _role!.LeaseNamespace, _role.LeaseName, initializing: false, _advert, ArbiterOptions,
            new NetnsLeaseApiConnector(_lab.Server.Url, node.Thread!, ArbiterOptions), new TrackFileVrrpGate(node.TrackFile), () => node.HoldsVip, node.Time,
            _events.For("n" + node.Index));

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
                _nodes[h].HoldsVip = holding[h];
            }

            var leaseHolder = _lab.Server.HolderOf("kube-system", _leaseName);
            _samples.Enqueue(new Sample(at, mask, await reach.ConfigureAwait(false), _nodes.FindIndex(n => n.Netns == leaseHolder)));
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
