using System.Text;
using System.Text.Json;

namespace ImmutableInfra.Enrollment;

/// <summary>
/// Renders an Ignition config (spec 3.3.0) that writes agent.yaml (0600), the CA bundle and an optional
/// static-network keyfile, and installs a first-boot unit that installs and enables the agent.
/// </summary>
public static class IgnitionConfigRenderer
{
    public const string SpecVersion = "3.3.0";
    public const string InstallUnit = "immutableinfra-install.service";

    /// <summary>Renders the config as indented JSON. Throws <see cref="ArgumentException"/> listing every invalid field.</summary>
    public static string Render(EnrollmentConfig config)
    {
        var plan = EnrollmentPlan.From(config);
        var files = plan.Files
            .Select(f => new IgnitionFile(f.Path, f.ModeBits, Overwrite: true, new IgnitionFileContents(DataUrl(f.Contents))))
            .ToList();
        var ignition = new IgnitionConfig(
            new IgnitionHeader(SpecVersion),
            new IgnitionStorage(files),
            new IgnitionSystemd([new IgnitionUnit(InstallUnit, Enabled: true, InstallUnitContents(plan))]));
        return JsonSerializer.Serialize(ignition, EnrollmentJsonContext.Default.IgnitionConfig) + "\n";
    }

    // base64 keeps PEM line breaks and any token character intact without percent-encoding rules.
    private static string DataUrl(string contents) => "data:;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(contents));

    private static string InstallUnitContents(EnrollmentPlan plan)
    {
        // MicroOS's root is read-only: the package goes into a new snapshot, enabled there, and the
        // host reboots into it. Once the binary exists the unit is skipped on every later boot.
        var install = plan.PackageIsUrl
            ? $"zypper --non-interactive install --allow-unsigned-rpm {Escape(plan.Package)}"
            : $"zypper --non-interactive install {Escape(plan.Package)}";
        return $"""
            [Unit]
            Description=Install and enable the ImmutableInfra agent (first boot)
            Wants=network-online.target
            After=network-online.target
            ConditionPathExists=!{EnrollmentPlan.AgentBinary}

            [Service]
            Type=oneshot
            ExecStart=/usr/sbin/transactional-update --non-interactive run {install}
            ExecStart=/usr/sbin/transactional-update --non-interactive --continue run systemctl enable {EnrollmentPlan.AgentUnit}
            ExecStart=/usr/bin/systemctl --no-block reboot

            [Install]
            WantedBy=multi-user.target

            """;
    }

    /// <summary>systemd expands % specifiers in ExecStart; a percent-encoded URL must keep its '%'.</summary>
    private static string Escape(string value) => value.Replace("%", "%%", StringComparison.Ordinal);
}
