using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Tests.Platform;

/// <summary>
/// Runs the real implementation against a fake systemctl script that records its argv. This machine
/// has no systemd as PID 1; the test against real systemd comes with packaging.
/// </summary>
public sealed class SystemctlSystemdTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly SystemctlSystemd _systemd;

    public SystemctlSystemdTests()
    {
        var script = _dir.Combine("systemctl");
        File.WriteAllText(script, $"""
            #!/bin/sh
            echo "$*" >> {_dir.Combine("argv.log")}
            case "$*" in
              "is-active --quiet active.service") exit 0 ;;
              "is-active --quiet"*) exit 3 ;;
              "start broken.service") echo "Job for broken.service failed" >&2; exit 1 ;;
            esac
            exit 0
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _systemd = new SystemctlSystemd(new ProcessCommandRunner(), script);
    }

    private string[] Calls() => File.ReadAllLines(_dir.Combine("argv.log"));

    [Fact]
    public async Task Operations_PassTheExpectedArgv()
    {
        await _systemd.StartAsync("kubelet.service", CancellationToken.None);
        await _systemd.StopAsync("kubelet.service", CancellationToken.None);
        await _systemd.RestartAsync("containerd.service", CancellationToken.None);
        await _systemd.ReloadAsync("keepalived.service", CancellationToken.None);
        await _systemd.EnableAsync("kubeadm.service", CancellationToken.None);
        await _systemd.DaemonReloadAsync(CancellationToken.None);
        await _systemd.RebootAsync(CancellationToken.None);

        Assert.Equal(
        [
            "start kubelet.service", "stop kubelet.service", "restart containerd.service", "reload keepalived.service",
            "enable kubeadm.service", "daemon-reload", "reboot",
        ], Calls());
    }

    [Fact]
    public async Task IsActive_AnswersFromTheExitCode()
    {
        Assert.True(await _systemd.IsActiveAsync("active.service", CancellationToken.None));
        Assert.False(await _systemd.IsActiveAsync("inactive.service", CancellationToken.None));
    }

    [Fact]
    public async Task Start_FailingUnit_ThrowsWithSystemctlsMessage()
    {
        var error = await Assert.ThrowsAsync<SystemdException>(() => _systemd.StartAsync("broken.service", CancellationToken.None));

        Assert.Contains("exited with 1: Job for broken.service failed", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
