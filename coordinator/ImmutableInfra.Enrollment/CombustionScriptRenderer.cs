using System.Globalization;
using System.Text;

namespace ImmutableInfra.Enrollment;

/// <summary>
/// Renders a Combustion script (MicroOS first boot) that writes agent.yaml (0600), the CA bundle and an
/// optional static-network keyfile, installs the agent with zypper and enables its unit.
/// </summary>
public static class CombustionScriptRenderer
{
    private const string Delimiter = "IMMUTABLEINFRA_EOF";

    /// <summary>Renders the script. Throws <see cref="ArgumentException"/> listing every invalid field.</summary>
    public static string Render(EnrollmentConfig config)
    {
        var plan = EnrollmentPlan.From(config);
        var script = new StringBuilder()
            .Append("""
                #!/bin/bash
                # combustion: network
                # ImmutableInfra enrollment. Combustion runs this once, in the initrd, inside a new
                # transactional-update snapshot: zypper and systemctl act on the system that boots next.
                set -euo pipefail
                # Files are created owner-only and then opened up where needed: the token is never readable by others.
                umask 077

                """);
        foreach (var file in plan.Files)
        {
            // A quoted delimiter: the shell expands nothing inside, whatever the file holds.
            script.AppendLine(CultureInfo.InvariantCulture, $"mkdir -p {ShellQuote(Path.GetDirectoryName(file.Path)!)}")
                .AppendLine(CultureInfo.InvariantCulture, $"cat > {ShellQuote(file.Path)} <<'{Delimiter}'")
                .Append(file.Contents)
                .AppendLine(Delimiter)
                .AppendLine(CultureInfo.InvariantCulture, $"chmod {file.OctalMode} {ShellQuote(file.Path)}")
                .AppendLine();
        }

        var unsigned = plan.PackageIsUrl ? " --allow-unsigned-rpm" : string.Empty;
        script.AppendLine(CultureInfo.InvariantCulture, $"zypper --non-interactive install{unsigned} {ShellQuote(plan.Package)}")
            .AppendLine(CultureInfo.InvariantCulture, $"systemctl enable {EnrollmentPlan.AgentUnit}");
        return script.ToString();
    }

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
