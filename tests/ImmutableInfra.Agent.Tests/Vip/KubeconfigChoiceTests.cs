using ImmutableInfra.Agent.Vip;

namespace ImmutableInfra.Agent.Tests.Vip;

public sealed class KubeconfigChoiceTests
{
    private static readonly VipOptions Options = new();

    [Theory]
    // k8s >= 1.29: during init only super-admin.conf is authorised, and only the initializing host has it.
    [InlineData(true, true, true, "/etc/kubernetes/super-admin.conf")]
    [InlineData(true, false, true, "/etc/kubernetes/super-admin.conf")]
    // k8s < 1.29 writes no super-admin.conf; admin.conf is system:masters there.
    [InlineData(true, true, false, "/etc/kubernetes/admin.conf")]
    // Joined hosts, and the first host once the cluster is up: admin.conf (kubeadm:cluster-admins).
    [InlineData(false, true, true, "/etc/kubernetes/admin.conf")]
    [InlineData(false, true, false, "/etc/kubernetes/admin.conf")]
    // Before kubeadm wrote anything.
    [InlineData(true, false, false, null)]
    [InlineData(false, false, true, null)]
    public void ChoosesTheKubeconfigThatWorksNow(bool initializing, bool admin, bool superAdmin, string? expected)
    {
        bool Exists(string path) => (path == Options.AdminKubeconfigPath && admin) || (path == Options.SuperAdminKubeconfigPath && superAdmin);

        Assert.Equal(expected, KubeconfigLeaseApiConnector.ChoosePath(Options, initializing, Exists));
    }

    [Fact]
    public void NoKubeconfig_ConnectsToNothing()
    {
        var connector = new KubeconfigLeaseApiConnector(Options, _ => false);

        Assert.Null(connector.TryConnect(initializing: true, "kube-system", "c1-control-plane-vip"));
    }
}
