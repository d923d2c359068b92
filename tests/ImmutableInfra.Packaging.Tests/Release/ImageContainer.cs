using System.Diagnostics;
using System.Globalization;

namespace ImmutableInfra.Packaging.Tests.Release;

/// <summary>
/// An image's root filesystem run with systemd-nspawn as a container runtime would run it: one command (no
/// init system; nspawn's stub init as PID 1), a user id, an environment, a read-only root with a tmpfs /tmp,
/// the host's network namespace (so loopback is shared with the test). Disposing kills the process tree.
/// </summary>
internal sealed class ImageContainer : IDisposable
{
    private readonly Process _nspawn;
    private readonly string _log;

    private ImageContainer(Process nspawn, string log)
    {
        _nspawn = nspawn;
        _log = log;
    }

    public bool HasExited => _nspawn.HasExited;

    public string Log => File.Exists(_log) ? File.ReadAllText(_log) : string.Empty;

    /// <summary>Every process of the container, with its real user id, as the host sees them.</summary>
    public IReadOnlyList<(int Pid, string Name, long Uid)> Processes => [.. Descendants(_nspawn.Id).Select(Describe)];

    public static ImageContainer Start(
        string rootfs, long uid, string workingDirectory, IEnumerable<string> environment, IReadOnlyDictionary<string, string> binds,
        IReadOnlyList<string> command, string workDirectory)
    {
        // nspawn resolves --user inside the container with getent, which a shell-less image does not have: the
        // host's is lent, bind-mounted over an empty file (the root is read-only, so the mount point must exist).
        File.WriteAllText(Path.Combine(rootfs, "usr/bin/getent"), string.Empty);
        var log = Path.Combine(workDirectory, "container.log");
        var arguments = new List<string>
        {
            "-c", "exec systemd-nspawn \"$@\" >" + log + " 2>&1 </dev/null", "nspawn",
            "--quiet", "--register=no", "--keep-unit", "--as-pid2", "--read-only", "--tmpfs=/tmp",
            "--timezone=off", "--resolv-conf=off", "--private-users=no",
            "-M", "iiimage-" + Guid.NewGuid().ToString("N")[..8], "-D", rootfs,
            $"--user={uid.ToString(CultureInfo.InvariantCulture)}", $"--chdir={workingDirectory}",
            "--bind-ro=/usr/bin/getent",
        };
        arguments.AddRange(environment.Select(e => "--setenv=" + e));
        arguments.AddRange(binds.Select(b => $"--bind-ro={b.Key}:{b.Value}"));
        arguments.Add("--");
        arguments.AddRange(command);
        var start = new ProcessStartInfo("/bin/sh");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new ImageContainer(Process.Start(start)!, log);
    }

    public void Dispose()
    {
        if (!_nspawn.HasExited)
        {
            _nspawn.Kill(entireProcessTree: true);
        }

        _nspawn.WaitForExit(TimeSpan.FromSeconds(15));
        _nspawn.Dispose();
    }

    private static IEnumerable<int> Descendants(int pid)
    {
        var children = Directory.GetDirectories($"/proc/{pid}/task")
            .SelectMany(task => ReadOrEmpty(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(c => int.Parse(c, CultureInfo.InvariantCulture))
            .ToList();
        return children.Concat(children.SelectMany(Descendants));
    }

    private static (int Pid, string Name, long Uid) Describe(int pid)
    {
        var status = ReadOrEmpty($"/proc/{pid}/status").Split('\n');
        string Field(string name) => status.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))?[(name.Length + 1)..].Trim() ?? string.Empty;
        var uid = Field("Uid").Split('\t', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "-1";
        return (pid, Field("Name"), long.Parse(uid, CultureInfo.InvariantCulture));
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
