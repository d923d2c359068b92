using ImmutableInfra.Dashboard;

namespace ImmutableInfra.Lab;

/// <summary>
/// The dashboard on the lab's API server, for a lab kept running: writes a kubeconfig for it (the official client
/// wants a credential; the in-memory server takes any token) and prints the URL to open and the command that
/// opens the same view from another terminal.
/// </summary>
internal static class LabDashboard
{
    public const string Token = "lab-operator";

    public static async Task<DashboardHost> StartAsync(LabEnvironment lab, int port, TextWriter output, CancellationToken ct)
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"immutableinfra-lab-{Environment.ProcessId}.kubeconfig");
        lab.Server.WriteKubeConfig(kubeconfig, Token);
        var dashboard = await DashboardHost.StartAsync(new DashboardOptions { Port = port, Kubeconfig = kubeconfig }, lab.Loggers, ct).ConfigureAwait(false);
        await output.WriteLineAsync($"lab: dashboard at {dashboard.Url} (or: kubectl-baremetal --kubeconfig {kubeconfig} dashboard)").ConfigureAwait(false);
        return dashboard;
    }
}
