using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ImmutableInfra.Agent.Vip;

namespace ImmutableInfra.Agent.VipNet.Harness;

/// <summary>One simulated control-plane host: its namespace thread, keepalived process, arbiter and files.</summary>
internal sealed class VipNode(int index, string netns, IPAddress address) : IDisposable
{
    private const int MaxLogLines = 200;
    private readonly string _dir = Directory.CreateTempSubdirectory("ii-vipnet-").FullName;
    private Process? _keepalived;
    private CancellationTokenSource? _arbiterStop;
    private Task? _arbiterRun;
    private Socket? _responder;
    private Process? _monitor;
    private volatile TaskCompletionSource? _frozen;

    public int Index { get; } = index;

    public string Netns { get; } = netns;

    public IPAddress Address { get; } = address;

    public NetnsThread? Thread { get; set; }

    public LeaseArbiter? Arbiter { get; set; }

    /// <summary>Crashed: holds nothing, whatever its (downed) interface still carries.</summary>
    public bool Dead { get; set; }

    /// <summary>When it crashed, on the clock `ip monitor` stamps with.</summary>
    public DateTime? DiedAt { get; set; }

    public string ConfigFile => Path.Combine(_dir, "keepalived.conf");

    public string TrackFile => Path.Combine(_dir, "vip-eligibility");

    public ConcurrentQueue<string> Log { get; } = new();

    public Action<Exception>? Died { get; set; }

    /// <summary>Whether eth0 carried the VIP at the newest sample: the arbiter's view of "my keepalived is master".</summary>
    public bool HoldsVip { get; set; }

    /// <summary>The wall clock the arbiter sees (its monotonic clock is the real one).</summary>
    public ShiftedTime Time { get; } = new();

    /// <summary>The VIP's appearances (true) and removals (false) on eth0, timestamped by `ip monitor` as it reads them.</summary>
    public ConcurrentQueue<(DateTime At, bool Added)> AddressEvents { get; } = new();

    /// <summary>Starts `ip -ts monitor address` in the namespace: microsecond timestamps of every change of the VIP on eth0.</summary>
    public void StartAddressMonitor(IPAddress vip)
    {
        // Line-buffered: on a pipe ip would hold events back until its buffer fills.
        var psi = new ProcessStartInfo("stdbuf", ["-oL", "ip", "-n", Netns, "-ts", "monitor", "address", "dev", "eth0"]) { RedirectStandardOutput = true };
        _monitor = Process.Start(psi) ?? throw new InvalidOperationException("ip monitor did not start");
        var needle = " inet " + vip + "/";
        _monitor.OutputDataReceived += (_, e) =>
        {
            // "[2026-12-04T19:17:51.203021] [Deleted ]3: eth0    inet 198.18.x.y/24 ..."
            // ip monitor reports lo too (the VIP's /32 there, re-added at every reload): eth0 only.
            if (e.Data is { } line && line.StartsWith('[') && line.Contains(needle, StringComparison.Ordinal) && line.Contains(": eth0 ", StringComparison.Ordinal)
                && DateTime.TryParse(line.AsSpan(1, line.IndexOf(']', StringComparison.Ordinal) - 1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var at))
            {
                AddressEvents.Enqueue((at, !line.Contains("] Deleted ", StringComparison.Ordinal)));
            }
        };
        _monitor.BeginOutputReadLine();
    }

    /// <summary>Answers every TCP connection on :7000 with this host's index, so the client can tell who holds the VIP.</summary>
    public async Task StartResponderAsync()
    {
        _responder = await Thread!.CreateTcpSocketAsync(AddressFamily.InterNetwork).ConfigureAwait(false);
        _responder.Bind(new IPEndPoint(IPAddress.Any, VipCluster.ProbePort));
        _responder.Listen(64);
        var listener = _responder;
        _ = Task.Run(async () =>
        {
            while (true)
            {
                Socket connection;
                try
                {
                    connection = await listener.AcceptAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }

                using (connection)
                {
                    try
                    {
                        await connection.SendAsync(new[] { (byte)Index }, SocketFlags.None).ConfigureAwait(false);
                    }
                    catch (SocketException)
                    {
                        // The client gave up first.
                    }
                }
            }
        });
    }

    public void StartKeepalived()
    {
        // -P: VRRP only (this kernel has no IPVS); -n: no daemon; pid files of its own so instances never meet.
        var psi = new ProcessStartInfo("ip", ["netns", "exec", Netns, "keepalived", "-n", "-l", "-D", "-P", "-f", ConfigFile,
            "-p", Path.Combine(_dir, "keepalived.pid"), "-r", Path.Combine(_dir, "vrrp.pid"), "-c", Path.Combine(_dir, "checkers.pid")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _keepalived = Process.Start(psi) ?? throw new InvalidOperationException("keepalived did not start");
        _keepalived.OutputDataReceived += (_, e) => Record(e.Data);
        _keepalived.ErrorDataReceived += (_, e) => Record(e.Data);
        _keepalived.BeginOutputReadLine();
        _keepalived.BeginErrorReadLine();
    }

    public void StartArbiter()
    {
        if (Arbiter is null)
        {
            return;
        }

        _arbiterStop = new CancellationTokenSource();
        var stop = _arbiterStop.Token;
        var arbiter = Arbiter;
        _arbiterRun = Task.Run(
            async () =>
            {
                try
                {
                    // LeaseArbiter.RunAsync's loop, with a freeze point: a frozen agent takes no step (no gate
                    // write, no sign of life), as a SIGSTOPped process would.
                    while (true)
                    {
                        if (_frozen is { } frozen)
                        {
                            await frozen.Task.WaitAsync(stop).ConfigureAwait(false);
                        }

                        var delay = await arbiter.StepAsync(stop).ConfigureAwait(false);
                        await Task.Delay(delay, stop).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    // A dead arbiter would look like a host that never takes over: say why in the failure message.
                    Died?.Invoke(e);
                    throw;
                }
            },
            stop);
    }

    public void Freeze() => _frozen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Thaw()
    {
        var frozen = _frozen;
        _frozen = null;
        frozen?.TrySetResult();
    }

    public void SignalKeepalived(int signal)
    {
        if (_keepalived is { HasExited: false })
        {
            _ = Native.Kill(_keepalived.Id, signal);
        }
    }

    /// <summary>Signals the VRRP child first: keepalived's children stop gracefully when their parent dies.</summary>
    public void KillKeepalived(int signal)
    {
        if (_keepalived is null || _keepalived.HasExited)
        {
            return;
        }

        var child = 0;
        if (signal == Native.SigKill && File.Exists(Path.Combine(_dir, "vrrp.pid"))
            && int.TryParse(File.ReadAllText(Path.Combine(_dir, "vrrp.pid")).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out child))
        {
            _ = Native.Kill(child, signal);
        }

        _ = Native.Kill(_keepalived.Id, signal);
        _keepalived.WaitForExit(TimeSpan.FromSeconds(5));
        if (signal == Native.SigKill)
        {
            // The killed VRRP child may linger as a zombie nobody reaps; a keepalived started next would find
            // its pid file and refuse to run ("daemon is already running"), as a rebooted host would not.
            foreach (var pid in new[] { "keepalived.pid", "vrrp.pid", "checkers.pid" })
            {
                File.Delete(Path.Combine(_dir, pid));
            }
        }
    }

    /// <summary>A crash: the arbiter stops stepping and never releases or demotes.</summary>
    public async Task AbandonArbiterAsync()
    {
        if (_arbiterStop is null || _arbiterRun is null)
        {
            return;
        }

        await _arbiterStop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _arbiterRun.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException || Died is not null)
        {
            // Stopped, or died and already reported.
        }

        _arbiterRun = null;
    }

    public async Task StopArbiterGracefullyAsync()
    {
        await AbandonArbiterAsync().ConfigureAwait(false);
        if (Arbiter is not null)
        {
            await Arbiter.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        Thaw();
        if (_monitor is { HasExited: false })
        {
            _monitor.Kill();
        }

        _monitor?.Dispose();
        _responder?.Dispose();
        Arbiter?.Dispose();
        Thread?.Dispose();
        _keepalived?.Dispose();
        _arbiterStop?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        Log.Enqueue(line);
        while (Log.Count > MaxLogLines && Log.TryDequeue(out _))
        {
        }
    }
}
