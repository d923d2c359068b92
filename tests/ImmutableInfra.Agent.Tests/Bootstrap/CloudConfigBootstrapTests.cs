using System.Text;
using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Tests.Bootstrap;

public sealed class CloudConfigBootstrapTests : IDisposable
{
    private const UnixFileMode Mode0640 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly BootstrapHarness _host = new();

    [Fact]
    public async Task Execute_KubeadmInitUserData_WritesPkiAndRenderedConfigThenRunsKubeadm()
    {
        var data = BootstrapHarness.Fixture("kubeadm-init.cloud-config");

        var outcome = await _host.RunAsync(data);

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        var source = Encoding.UTF8.GetString(data);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----\n", _host.Read("/etc/kubernetes/pki/ca.crt"), StringComparison.Ordinal);
        Assert.Contains(_host.Read("/etc/kubernetes/pki/etcd/ca.key").Split('\n')[1], source, StringComparison.Ordinal);
        Assert.Equal(Mode0600, _host.ModeOf("/etc/kubernetes/pki/ca.key"));
        Assert.Equal(Mode0640, _host.ModeOf("/etc/kubernetes/pki/ca.crt"));
        Assert.True(File.Exists(_host.HostFile("/etc/kubernetes/pki/sa.pub")));
        var kubeadm = _host.Read("/run/kubeadm/kubeadm.yaml");
        Assert.Contains("name: 'prod-control-plane-x7k2p'", kubeadm, StringComparison.Ordinal);
        Assert.Contains("provider-id: 'baremetal://default/host-r650-07'", kubeadm, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", kubeadm, StringComparison.Ordinal);
        Assert.Equal(
            ["/bin/sh -c sysctl --system", "/bin/sh -c kubeadm init --config /run/kubeadm/kubeadm.yaml  && echo success > /run/cluster-api/bootstrap-success.complete"],
            _host.Runner.Lines);
        Assert.True(File.Exists(_host.HostFile("/run/cluster-api/bootstrap-success.complete")));
    }

    [Fact]
    public async Task Execute_KubeadmInitUserData_ReportsEveryStepByNameOnly()
    {
        var data = BootstrapHarness.Fixture("kubeadm-init.cloud-config");

        await _host.RunAsync(data);

        var steps = _host.Progress.Where(p => !p.Complete).ToList();
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (uint)i), steps.Select(p => p.Step));
        Assert.All(steps, p => Assert.Equal(12u, p.TotalSteps));
        Assert.Equal("write_files /etc/kubernetes/pki/ca.crt", steps[0].StepName);
        Assert.Equal("runcmd 2", steps[^1].StepName);
        Assert.All(_host.Progress, p => Assert.DoesNotContain("BEGIN", p.StepName, StringComparison.Ordinal));
        Assert.True(_host.Progress[^1].Complete);
        Assert.Equal("6f1c2b9e-3d4a-4c1e-9b7a-2f0e5d8c1a11", _host.Progress[^1].MachineUid);
    }

    [Fact]
    public async Task Execute_KubeadmJoinUserData_DecodesFilesCreatesUserAndRunsInCloudInitOrder()
    {
        var data = BootstrapHarness.Fixture("kubeadm-join.cloud-config");

        var outcome = await _host.RunAsync(data);

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.Equal("net.ipv4.ip_forward = 1\nnet.bridge.bridge-nf-call-iptables = 1\n", _host.Read("/etc/sysctl.d/99-kubernetes.conf"));
        Assert.Equal("overlay\nbr_netfilter\n", _host.Read("/etc/modules-load.d/k8s.conf"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, _host.ModeOf("/etc/modules-load.d/k8s.conf"));
        Assert.Contains("name: 'prod-control-plane-x7k2p'", _host.Read("/run/kubeadm/kubeadm-join-config.yaml"), StringComparison.Ordinal);
        Assert.Equal("Joined as prod-control-plane-x7k2p (6f1c2b9e-3d4a-4c1e-9b7a-2f0e5d8c1a11)\n", _host.Read("/etc/motd"));
        Assert.Equal("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk4kE1bFJ0x2cK7Jf9nGm3oW4Tq8dQ2yXvR5sLpA1Zc capi@mgmt\n", _host.Read("/home/capi/.ssh/authorized_keys"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, _host.ModeOf("/home/capi/.ssh/authorized_keys"));
        Assert.Equal("capi ALL=(ALL) NOPASSWD:ALL\n", _host.Read("/etc/sudoers.d/90-cloud-init-users"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead, _host.ModeOf("/etc/sudoers.d/90-cloud-init-users"));
        Assert.Equal(
        [
            "bootcmd 1", "write_files /etc/sysctl.d/99-kubernetes.conf", "write_files /etc/modules-load.d/k8s.conf",
            "write_files /run/kubeadm/kubeadm-join-config.yaml", "write_files /run/cluster-api/placeholder", "users capi",
            "users capi ssh_authorized_keys", "users /etc/sudoers.d/90-cloud-init-users", "write_files /etc/motd", "runcmd 1", "runcmd 2",
        ], _host.Progress.Where(p => !p.Complete).Select(p => p.StepName));
        var lines = _host.Runner.Lines.ToList();
        Assert.Equal("modprobe br_netfilter", lines[0]);
        Assert.Equal($"useradd --create-home --root {_host.RootPath} --shell /bin/bash --groups wheel capi", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("chown --no-dereference capi: ", StringComparison.Ordinal));
        Assert.Equal("/bin/sh -c kubeadm join --config /run/kubeadm/kubeadm-join-config.yaml  && echo success > /run/cluster-api/bootstrap-success.complete", lines[^1]);
    }

    [Fact]
    public async Task Execute_CrashDuringKubeadm_NewExecutorResumesWithoutRepeatingSteps()
    {
        var data = BootstrapHarness.Fixture("kubeadm-init.cloud-config");
        _host.Runner = new FakeCommandRunner(_host.RootPath) { CrashOn = "kubeadm init" };
        await Assert.ThrowsAsync<SimulatedCrashException>(() => _host.RunAsync(data));
        // Were the files rewritten on resume, this marker would be overwritten.
        File.WriteAllText(_host.HostFile("/etc/kubernetes/pki/ca.crt"), "marker");
        _host.Progress.Clear();
        _host.Runner = new FakeCommandRunner(_host.RootPath);

        var outcome = await _host.RunAsync(data);

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.Equal("runcmd 2", _host.Progress[0].StepName);
        Assert.Equal(12u, _host.Progress[0].Step);
        Assert.Single(_host.Runner.Requests);
        Assert.Equal("marker", _host.Read("/etc/kubernetes/pki/ca.crt"));
    }

    [Fact]
    public async Task Execute_AfterRebootEmptiedRun_IsStillDone()
    {
        var data = BootstrapHarness.Fixture("kubeadm-init.cloud-config");
        Assert.True((await _host.RunAsync(data)).Succeeded);
        File.Delete(_host.HostFile("/run/cluster-api/bootstrap-success.complete"));
        _host.Runner = new FakeCommandRunner(_host.RootPath);
        _host.Progress.Clear();

        var outcome = await _host.RunAsync(data);

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.Empty(_host.Runner.Requests);
        Assert.True(Assert.Single(_host.Progress).Complete);
    }

    [Fact]
    public async Task Execute_SentinelAlreadyPresent_IsDoneWithoutRunningAnything()
    {
        Directory.CreateDirectory(_host.HostFile("/run/cluster-api"));
        File.WriteAllText(_host.HostFile("/run/cluster-api/bootstrap-success.complete"), "success\n");

        var outcome = await _host.RunAsync(BootstrapHarness.Fixture("kubeadm-init.cloud-config"));

        Assert.True(outcome.Succeeded);
        Assert.Empty(_host.Runner.Requests);
        Assert.True(Assert.Single(_host.Progress).Complete);
        Assert.False(File.Exists(_host.HostFile("/etc/kubernetes/pki/ca.crt")));
    }

    [Fact]
    public async Task Execute_KubeadmFails_ReportsFailedWithStepAndExitCode_AndDoesNotRetry()
    {
        _host.Runner = new FakeCommandRunner(_host.RootPath) { FailOn = "kubeadm init" };

        var outcome = await _host.RunAsync(BootstrapHarness.Fixture("kubeadm-init.cloud-config"));

        Assert.False(outcome.Succeeded);
        Assert.Equal("step 12/12 runcmd 2: runcmd 2 exited with code 1", outcome.FailureReason);
        Assert.Equal(1, _host.Runner.Requests.Count(r => r.Display.Contains("kubeadm init", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Execute_StepsFinishWithoutSentinel_IsFailed()
    {
        var outcome = await _host.RunAsync(Encoding.UTF8.GetBytes("#cloud-config\nruncmd:\n  - true\n"));

        Assert.False(outcome.Succeeded);
        Assert.Contains("bootstrap-success.complete does not exist", outcome.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#cloud-config\nwrite_files:\n  - path: /etc/a\n    content: ok\n  - path: /etc/b\n    content: [unclosed\n", "invalid YAML")]
    [InlineData("#cloud-config\nwrite_files:\n  - path: /etc/a\n    content: ok\n  - path: /etc/b\n    encoding: b64\n    content: '%%%not base64'\n", "not valid base64")]
    [InlineData("#cloud-config\nwrite_files:\n  - path: /etc/a\n    content: ok\n  - path: /etc/b\n    encoding: gz+base64\n    content: aGVsbG8=\n", "not valid gzip")]
    [InlineData("#cloud-config\nwrite_files:\n  - path: /etc/a\n    content: ok\n  - path: /etc/b\n    permissions: '0999'\n", "not an octal mode")]
    [InlineData("#cloud-config\nwrite_files:\n  - path: /etc/a\n    content: ok\nruncmd: not-a-list\n", "runcmd must be a list")]
    [InlineData("write_files:\n  - path: /etc/a\n    content: ok\n", "does not start with #cloud-config")]
    [InlineData("## template: jinja\n#cloud-config\nwrite_files:\n  - path: /etc/a\n    content: '{{ ds.meta_data.nonexistent }}'\n", "unknown variable 'ds.meta_data.nonexistent'")]
    [InlineData("#cloud-config\nwrite_files:\n  - path: /etc/a\n    content: ok\n  - path: /../../etc/passwd\n    content: pwned\n", "climbs above the root")]
    [InlineData("#cloud-config\nwrite_files:\n  - path: /etc/a\n    content: ok\n  - path: etc/relative\n    content: x\n", "is not absolute")]
    public async Task Execute_MalformedCloudConfig_FailsWithReasonAndWritesNothing(string userData, string reason)
    {
        var outcome = await _host.RunAsync(Encoding.UTF8.GetBytes(userData));

        Assert.False(outcome.Succeeded);
        Assert.Contains(reason, outcome.FailureReason, StringComparison.Ordinal);
        Assert.Empty(_host.FilesUnderRoot());
        Assert.Empty(_host.Runner.Requests);
    }

    [Fact]
    public async Task Execute_PathWithDotDot_IsNormalisedInsideTheRoot()
    {
        Directory.CreateDirectory(_host.HostFile("/run/cluster-api"));
        var userData = "#cloud-config\nwrite_files:\n  - path: /etc/kubernetes/../hosts\n    content: 127.0.0.1 localhost\n"
            + "  - path: /run/cluster-api/bootstrap-success.complete\n    content: success\n";

        var outcome = await _host.RunAsync(Encoding.UTF8.GetBytes(userData));

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.Equal("127.0.0.1 localhost", _host.Read("/etc/hosts"));
        Assert.Equal("write_files /etc/hosts", _host.Progress[0].StepName);
    }

    [Fact]
    public async Task Execute_DataNotMatchingSha256_IsFailed()
    {
        var data = BootstrapHarness.Fixture("kubeadm-init.cloud-config");
        var provision = BootstrapHarness.ProvisionFor(data);
        provision.BootstrapDataSha256 = new string('0', 64);

        var outcome = await _host.RunAsync(provision, data);

        Assert.False(outcome.Succeeded);
        Assert.Contains("sha256", outcome.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_NewDataForSameMachine_StartsAFreshJournal()
    {
        var first = Encoding.UTF8.GetBytes("#cloud-config\nruncmd:\n  - echo one\n");
        var second = Encoding.UTF8.GetBytes("#cloud-config\nruncmd:\n  - echo two\n");
        await _host.RunAsync(first);
        _host.Progress.Clear();

        await _host.RunAsync(second);

        Assert.Equal(["/bin/sh -c echo one", "/bin/sh -c echo two"], _host.Runner.Lines);
        Assert.Equal(1u, _host.Progress[0].Step);
    }

    public void Dispose() => _host.Dispose();
}
