using System.Globalization;
using System.Text;
using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Vip;

/// <summary>
/// The real <see cref="IVrrpGate"/>: keepalived's vrrp_track_file (weight 1), replaced atomically, and the
/// arbiter's sign of life beside it (<see cref="AlivePathOf"/>), which keepalived's check script reads.
/// </summary>
internal sealed class TrackFileVrrpGate(string path, Func<TimeSpan>? sinceBoot = null) : IVrrpGate
{
    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private readonly Func<TimeSpan> _sinceBoot = sinceBoot ?? ReadUptime;

    public string Path { get; } = path;

    public static int ValueOf(VrrpEligibility eligibility) => eligibility switch
    {
        VrrpEligibility.Eligible => 0,
        VrrpEligibility.Fallback => -KeepalivedConfigRenderer.FallbackPenalty,
        _ => KeepalivedConfigRenderer.TrackFileFault,
    };

    /// <summary>Where the sign of life of the gate at <paramref name="trackFilePath"/> is written.</summary>
    public static string AlivePathOf(string trackFilePath) => trackFilePath + ".alive-until";

    public void Set(VrrpEligibility eligibility) =>
        AtomicFileWriter.Write(Path, Encoding.ASCII.GetBytes(ValueOf(eligibility).ToString(CultureInfo.InvariantCulture) + "\n"), Mode);

    /// <summary>
    /// Writes the instant the sign of life ends, in centiseconds of /proc/uptime (the clock keepalived's check
    /// reads; it never jumps with the wall clock). Renamed into place, not synced: it lives on tmpfs and is
    /// rewritten every step.
    /// </summary>
    public void Refresh(TimeSpan validFor)
    {
        var until = (long)Math.Ceiling((_sinceBoot() + validFor).TotalMilliseconds / 10);
        var target = AlivePathOf(Path);
        var temp = target + ".tmp";
        File.WriteAllText(temp, until.ToString(CultureInfo.InvariantCulture) + "\n");
        File.SetUnixFileMode(temp, Mode);
        File.Move(temp, target, overwrite: true);
    }

    private static TimeSpan ReadUptime()
    {
        var text = File.ReadAllText("/proc/uptime");
        return TimeSpan.FromSeconds(double.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), NumberStyles.Float, CultureInfo.InvariantCulture));
    }
}
