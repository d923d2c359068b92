using System.Globalization;

namespace ImmutableInfra.Lab;

/// <summary>
/// A kept lab: writes a kubeconfig and a <c>kubectl-baremetal</c> plugin script, prints how to explore the lab
/// with kubectl, and waits until Ctrl-C or SIGTERM.
/// </summary>
internal sealed class LabKeep(LabEnvironment lab, TextWriter output)
{
    public async Task ServeAsync(CancellationToken stop)
    {
        var path = lab.Options.KubeconfigPath;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        lab.Server.WriteKubeConfig(path);

        // kubectl runs plugins found on PATH as kubectl-NAME: this one runs the coordinator's operator CLI from the lab's build.
        var coordinator = Path.Combine(AppContext.BaseDirectory, "immutableinfra-coordinator.dll");
        var plugin = Path.Combine(directory, "kubectl-baremetal");
        await File.WriteAllTextAsync(plugin, $"#!/bin/sh\nexec dotnet \"{coordinator}\" \"$@\"\n", stop).ConfigureAwait(false);
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var metrics = lab.Coordinators.Select(c => new Uri(c.HttpAddress, "/metrics").ToString());
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $$"""

            lab: kept up until Ctrl-C (or SIGTERM). The API server is an in-memory test server: no pods run.
              API server:   {{lab.Server.Url}}
              kubeconfig:   {{path}}
              metrics:      {{string.Join("  ", metrics)}}

            Try:
              export KUBECONFIG={{path}} PATH={{directory}}:$PATH
              kubectl get cluster-api -A
              kubectl get machineinventories -n {{LabEnvironment.Namespace}} -o wide
              kubectl describe baremetalmachine -n {{LabEnvironment.Namespace}} {{LabRun.ClusterName}}-cp-0
              kubectl explain baremetalcluster.spec.controlPlaneLoadBalancer
              kubectl get baremetalmachines -n {{LabEnvironment.Namespace}} -w
              kubectl baremetal hosts list -n {{LabEnvironment.Namespace}}
              kubectl baremetal machines list -n {{LabEnvironment.Namespace}}
            """)).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await output.WriteLineAsync("lab: stopping").ConfigureAwait(false);
        }
    }
}
