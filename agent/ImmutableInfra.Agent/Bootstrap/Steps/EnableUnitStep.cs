using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Bootstrap.Steps;

/// <summary>
/// Reloads systemd, enables a unit and starts it. Ignition does this with presets at first boot;
/// the agent runs on a booted host, so it must start the unit itself (kubeadm.service writes the sentinel).
/// </summary>
internal sealed class EnableUnitStep(string unit) : BootstrapStep($"systemd enable {unit}")
{
    public override async Task ExecuteAsync(BootstrapContext context, CancellationToken cancellationToken)
    {
        try
        {
            await context.Systemd.DaemonReloadAsync(cancellationToken).ConfigureAwait(false);
            await context.Systemd.EnableAsync(unit, cancellationToken).ConfigureAwait(false);
            await context.Systemd.StartAsync(unit, cancellationToken).ConfigureAwait(false);
        }
        catch (SystemdException e)
        {
            throw new BootstrapStepFailedException($"{Name}: {e.Message}", e);
        }
    }
}
