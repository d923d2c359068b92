using Microsoft.Extensions.Hosting.Systemd;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>
/// The notifier when systemd did not start the process: <c>AddSystemd()</c> then registers none (and no systemd lifetime),
/// so STATUS= and WATCHDOG=1 go nowhere, as READY=1 does.
/// </summary>
internal sealed class NoSystemdNotifier : ISystemdNotifier
{
    public bool IsEnabled => false;

    public void Notify(ServiceState state)
    {
        // Nobody to tell.
    }
}
