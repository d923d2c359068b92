using System.Globalization;
using System.Text;
using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Vip;

/// <summary>The real <see cref="IVrrpGate"/>: keepalived's vrrp_track_file (weight 1), replaced atomically.</summary>
internal sealed class TrackFileVrrpGate(string path) : IVrrpGate
{
    public string Path { get; } = path;

    public static int ValueOf(VrrpEligibility eligibility) => eligibility switch
    {
        VrrpEligibility.Eligible => 0,
        VrrpEligibility.Fallback => -KeepalivedConfigRenderer.FallbackPenalty,
        _ => KeepalivedConfigRenderer.TrackFileFault,
    };

    public void Set(VrrpEligibility eligibility) =>
        AtomicFileWriter.Write(Path, Encoding.ASCII.GetBytes(ValueOf(eligibility).ToString(CultureInfo.InvariantCulture) + "\n"),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
}
