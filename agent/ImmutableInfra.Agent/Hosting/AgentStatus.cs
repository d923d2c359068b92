using Microsoft.Extensions.Hosting.Systemd;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>The agent's current phase as shown in `systemctl status` (STATUS=).</summary>
internal sealed class AgentStatus(ISystemdNotifier notifier)
{
    private string _phase = "starting";

    public string Phase => Volatile.Read(ref _phase);

    public void Set(string phase)
    {
        Volatile.Write(ref _phase, phase);
        notifier.Notify(new ServiceState("STATUS=" + phase));
    }
}
