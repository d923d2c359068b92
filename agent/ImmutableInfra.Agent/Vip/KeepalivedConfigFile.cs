using System.Text;
using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Vip;

/// <summary>keepalived.conf on disk: replaced atomically only when its content changes, then keepalived reloaded.</summary>
internal sealed class KeepalivedConfigFile(VipOptions options, ISystemd systemd)
{
    private bool _running;

    /// <summary>Returns what was done ("reloaded", "started") or null when nothing changed.</summary>
    public async Task<string?> ApplyAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var content = Encoding.UTF8.GetBytes(text);
        var path = options.KeepalivedConfigPath;
        var unchanged = File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(content);
        if (unchanged && _running)
        {
            return null;
        }

        if (!unchanged)
        {
            AtomicFileWriter.Write(path, content, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        // Reload keeps VRRP state (a restart would drop the VIP); start covers a stopped or never-started unit.
        string action;
        if (await systemd.IsActiveAsync(options.KeepalivedUnit, cancellationToken).ConfigureAwait(false))
        {
            if (unchanged)
            {
                _running = true;
                return null;
            }

            await systemd.ReloadOrRestartAsync(options.KeepalivedUnit, cancellationToken).ConfigureAwait(false);
            action = "reloaded";
        }
        else
        {
            await systemd.StartAsync(options.KeepalivedUnit, cancellationToken).ConfigureAwait(false);
            action = "started";
        }

        _running = true;
        return action;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _running = false;
        await systemd.StopAsync(options.KeepalivedUnit, cancellationToken).ConfigureAwait(false);
    }
}
