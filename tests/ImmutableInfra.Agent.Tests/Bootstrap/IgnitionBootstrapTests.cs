using System.Text;
using ImmutableInfra.Contract.V1;
using NSubstitute;

namespace ImmutableInfra.Agent.Tests.Bootstrap;

public sealed class IgnitionBootstrapTests : IDisposable
{
    private readonly BootstrapHarness _host = new();

    [Fact]
    public async Task Execute_IgnitionConfig_WritesFilesLinksUnitsAndStartsEnabledUnits()
    {
        // Starting kubeadm.service is what writes the sentinel on a real host (its ExecStartPost).
        _host.Systemd.StartAsync("kubeadm.service", Arg.Any<CancellationToken>()).Returns(_ =>
        {
            Directory.CreateDirectory(_host.HostFile("/run/cluster-api"));
            File.WriteAllText(_host.HostFile("/run/cluster-api/bootstrap-success.complete"), "success\n");
            return Task.CompletedTask;
        });

        var outcome = await _host.RunAsync(BootstrapHarness.Fixture("kubeadm-join.ign"), BootstrapFormat.Ignition);

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", _host.Read("/etc/kubernetes/pki/ca.crt"), StringComparison.Ordinal);
        Assert.Equal((UnixFileMode)Convert.ToInt32("640", 8), _host.ModeOf("/etc/kubernetes/pki/ca.crt"));
        Assert.Equal((UnixFileMode)Convert.ToInt32("700", 8), _host.ModeOf("/etc/kubernetes/pki/etcd"));
        Assert.Equal("apiVersion: kubeadm.k8s.io/v1beta3\nkind: JoinConfiguration\nnodeRegistration:\n  name: worker-a\n", _host.Read("/etc/kubeadm.yml"));
        Assert.Equal("worker-a\n", _host.Read("/etc/hostname"));
        Assert.Equal("export KUBECONFIG=/etc/kubernetes/kubelet.conf\n", _host.Read("/etc/profile.d/k8s.sh"));
        Assert.Equal("net.ipv4.ip_forward = 1\nnet.bridge.bridge-nf-call-iptables = 1\n", _host.Read("/etc/sysctl.d/k8s.conf"));
        Assert.Equal("/usr/share/zoneinfo/UTC", new FileInfo(_host.HostFile("/etc/localtime")).LinkTarget);
        Assert.Contains("ExecStart=/usr/bin/kubeadm join", _host.Read("/etc/systemd/system/kubeadm.service"), StringComparison.Ordinal);
        Assert.Equal("[Service]\nLimitNOFILE=1048576\n", _host.Read("/etc/systemd/system/containerd.service.d/10-limits.conf"));
        Assert.Contains("core@mgmt", _host.Read("/home/core/.ssh/authorized_keys"), StringComparison.Ordinal);
        Received.InOrder(() =>
        {
            _host.Systemd.DaemonReloadAsync(Arg.Any<CancellationToken>());
            _host.Systemd.EnableAsync("kubeadm.service", Arg.Any<CancellationToken>());
            _host.Systemd.StartAsync("kubeadm.service", Arg.Any<CancellationToken>());
        });
        await _host.Systemd.DidNotReceive().EnableAsync("containerd.service", Arg.Any<CancellationToken>());
        Assert.Equal("systemd enable kubeadm.service", _host.Progress.Last(p => !p.Complete).StepName);
    }

    [Theory]
    [InlineData("{\"ignition\": {\"version\": \"3.4.0\"}, \"storage\": {\"files\": [", "invalid JSON")]
    [InlineData("{\"ignition\": {\"version\": \"2.3.0\"}}", "3.x only")]
    [InlineData("{\"ignition\": {\"version\": \"3.4.0\"}, \"storage\": {\"files\": [{\"path\": \"/etc/a\", \"contents\": {\"source\": \"data:,a\"}}, {\"path\": \"/etc/b\", \"contents\": {\"source\": \"https://198.18.0.1/b\"}}]}}", "only data: URLs")]
    [InlineData("{\"ignition\": {\"version\": \"3.4.0\"}, \"storage\": {\"files\": [{\"path\": \"/etc/a\", \"contents\": {\"source\": \"data:;base64,@@@\"}}]}}", "not valid base64")]
    [InlineData("{\"ignition\": {\"version\": \"3.4.0\"}, \"storage\": {\"files\": [{\"path\": \"/etc/a\", \"contents\": {\"source\": \"data:,a\"}}, {\"path\": \"/../escape\", \"contents\": {\"source\": \"data:,b\"}}]}}", "climbs above the root")]
    [InlineData("{\"storage\": {}}", "ignition")]
    public async Task Execute_MalformedIgnition_FailsWithReasonAndWritesNothing(string config, string reason)
    {
        var outcome = await _host.RunAsync(Encoding.UTF8.GetBytes(config), BootstrapFormat.Ignition);

        Assert.False(outcome.Succeeded);
        Assert.Contains(reason, outcome.FailureReason, StringComparison.Ordinal);
        Assert.Empty(_host.FilesUnderRoot());
    }

    [Fact]
    public async Task Execute_ExistingFileWithoutOverwrite_IsFailed()
    {
        Directory.CreateDirectory(_host.HostFile("/etc"));
        File.WriteAllText(_host.HostFile("/etc/hostname"), "old\n");
        var config = "{\"ignition\": {\"version\": \"3.4.0\"}, \"storage\": {\"files\": [{\"path\": \"/etc/hostname\", \"contents\": {\"source\": \"data:,new\"}}]}}";

        var outcome = await _host.RunAsync(Encoding.UTF8.GetBytes(config), BootstrapFormat.Ignition);

        Assert.False(outcome.Succeeded);
        Assert.Contains("overwrite is false", outcome.FailureReason, StringComparison.Ordinal);
        Assert.Equal("old\n", _host.Read("/etc/hostname"));
    }

    public void Dispose() => _host.Dispose();
}
