using System.Diagnostics;
using System.Globalization;

namespace ImmutableInfra.Packaging.Tests.Systemd;

/// <summary>
/// A minimal Debian tree booted with systemd-nspawn (systemd as PID 1), driven through nsenter. The cached
/// tree is mounted read-only under a tmpfs overlay (--volatile=overlay), so a run never changes it.
/// Disposing kills the container's PID 1, which ends every process in it.
/// </summary>
internal sealed class NspawnContainer : IDisposable
{
    private readonly Process _nspawn;
    private readonly string _consoleLog;

    private NspawnContainer(Process nspawn, int leader, string consoleLog)
    {
        _nspawn = nspawn;
        Leader = leader;
        _consoleLog = consoleLog;
    }

    /// <summary>The container's PID 1 as the host sees it.</summary>
    public int Leader { get; }

    public string Console => File.Exists(_consoleLog) ? File.ReadAllText(_consoleLog) : string.Empty;

    /// <summary>The container's system bus, reached from the host through its PID 1's root.</summary>
    public string SystemBusAddress => $"unix:path=/proc/{Leader.ToString(CultureInfo.InvariantCulture)}/root/run/dbus/system_bus_socket";

    /// <summary>Waits for systemd-nspawn to exit (the container shut down or rebooted); returns its exit code, or null on timeout.</summary>
    public int? WaitForExit(TimeSpan timeout) => _nspawn.WaitForExit(timeout) ? _nspawn.ExitCode : null;

    /// <summary>Boots the tree with the given host files bind-mounted read-only (host path → container path).</summary>
    public static NspawnContainer Boot(string tree, IReadOnlyDictionary<string, string> binds, string workDirectory)
    {
        var consoleLog = Path.Combine(workDirectory, "console.log");
        var machine = "iitest-" + Guid.NewGuid().ToString("N")[..8];
        var arguments = new List<string>
        {
            "-c",
            "exec systemd-nspawn \"$@\" >" + consoleLog + " 2>&1 </dev/null",
            "nspawn",
            "--boot", "--register=no", "--keep-unit", "--volatile=overlay", "--quiet",
            "-M", machine, "-D", tree,
        };
        arguments.AddRange(binds.Select(b => $"--bind-ro={b.Key}:{b.Value}"));
        var start = new ProcessStartInfo("/bin/sh");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var nspawn = Process.Start(start)!;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (nspawn.HasExited)
            {
                throw new InvalidOperationException($"systemd-nspawn exited {nspawn.ExitCode}:\n{File.ReadAllText(consoleLog)}");
            }

            // nspawn's child in a new PID namespace is the container's init, once it has exec'd systemd (before that it
            // is nspawn's own short-lived helper, which a loaded machine leaves in place long enough to be picked).
            var children = File.ReadAllText($"/proc/{nspawn.Id}/task/{nspawn.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (children.Length == 1 && IsSystemd(children[0]))
            {
                var container = new NspawnContainer(nspawn, int.Parse(children[0], CultureInfo.InvariantCulture), consoleLog);
                try
                {
                    container.WaitForBoot();
                    return container;
                }
                catch
                {
                    container.Dispose();
                    throw;
                }
            }

            Thread.Sleep(100);
        }

        nspawn.Kill(entireProcessTree: true);
        throw new TimeoutException("systemd-nspawn started no container within 30 s");
    }

    /// <summary>Runs a command inside the container (all its namespaces).</summary>
    public Command.Result Exec(params string[] command) =>
        Command.Run("nsenter", ["-t", Leader.ToString(CultureInfo.InvariantCulture), "-a", .. command], TimeSpan.FromSeconds(60));

    public string ExecChecked(params string[] command)
    {
        var result = Exec(command);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', command)} exited {result.ExitCode}:\n{result.Output}");
        return result.Stdout;
    }

    /// <summary>`systemctl show` properties of a unit.</summary>
    public Dictionary<string, string> Show(string unit, params string[] properties) =>
        ExecChecked(["systemctl", "show", unit, "-p", string.Join(',', properties)])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);

    /// <summary>Polls until the unit's properties satisfy the condition; returns the last ones seen.</summary>
    public Dictionary<string, string> WaitFor(string unit, Func<Dictionary<string, string>, bool> condition, TimeSpan timeout, params string[] properties)
    {
        var clock = Stopwatch.StartNew();
        var seen = Show(unit, properties);
        while (!condition(seen))
        {
            if (clock.Elapsed > timeout)
            {
                var journal = Exec("journalctl", "--no-pager", "-n", "60").Output;
                throw new TimeoutException($"{unit} not as expected after {timeout}: {string.Join(", ", seen)}\n{journal}");
            }

            Thread.Sleep(100);
            seen = Show(unit, properties);
        }

        return seen;
    }

    public void Dispose()
    {
        try
        {
            // SIGKILL to a PID namespace's init ends every process in it; nspawn then exits on its own.
            Process.GetProcessById(Leader).Kill();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }

        if (!_nspawn.WaitForExit(TimeSpan.FromSeconds(15)))
        {
            _nspawn.Kill(entireProcessTree: true);
            _nspawn.WaitForExit();
        }

        _nspawn.Dispose();
    }

    private static bool IsSystemd(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim() == "systemd";
        }
        catch (IOException)
        {
            return false; // Gone already.
        }
    }

    private void WaitForBoot()
    {
        // A bound, not a speed check: on a machine shared with many builds a boot takes tens of seconds.
        var clock = Stopwatch.StartNew();
        var state = string.Empty;
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            state = Exec("systemctl", "is-system-running").Stdout.Trim();
            if (state is "running" or "degraded")
            {
                return;
            }

            Thread.Sleep(200);
        }

        throw new TimeoutException($"the container did not finish booting within 3 min (is-system-running: {state}):\n{Console}");
    }
}
