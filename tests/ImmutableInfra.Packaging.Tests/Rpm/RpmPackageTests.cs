using System.Security.Cryptography;
using ImmutableInfra.Packaging.Tests.Release;

namespace ImmutableInfra.Packaging.Tests.Rpm;

/// <summary>The release's x86_64 agent RPM (scripts/release.sh), checked with rpm and rpmlint.</summary>
[Collection(ReleaseGroup.Name)]
public sealed class RpmPackageTests(ReleaseFixture release)
{
    private string RpmFile => release.Rpm("x86_64");

    [Fact]
    public void Rpmlint_ReportsNoErrors_WithOnlyTheJustifiedFilters()
    {
        var result = Command.Run("rpmlint", ["-r", Repository.Path("packaging/rpm/immutableinfra-agent.rpmlintrc"), RpmFile], TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 0, $"rpmlint:\n{result.Output}");
        Assert.Contains(" 0 errors", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Package_HoldsExactlyTheBinaryUnitConfigStateDirectoryVipHostSettingsAndLicence()
    {
        var files = Command.Check("rpm", "-qlp", RpmFile).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
            [
                "/etc/immutableinfra",
                "/etc/immutableinfra/agent.yaml",
                "/usr/bin/immutableinfra-agent",
                "/usr/lib/modules-load.d/immutableinfra-ipvs.conf",
                "/usr/lib/sysctl.d/50-immutableinfra-vip.conf",
                "/usr/lib/systemd/system/immutableinfra-agent.service",
                "/usr/share/licenses/immutableinfra-agent",
                "/usr/share/licenses/immutableinfra-agent/LICENSE",
                "/var/lib/immutableinfra",
            ],
            files.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Files_HaveTheirModesOwnersAndContents_ConfigIsNoReplace0600()
    {
        // --dump: path size mtime digest mode owner group isconfig isdoc rdev symlink
        var dump = Command.Check("rpm", "-qp", "--dump", RpmFile)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(fields => fields[0]);
        var flags = Command.Check("rpm", "-qp", "--qf", "[%{FILENAMES} %{FILEFLAGS:fflags}\n]", RpmFile)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(fields => fields[0], fields => fields.Length > 1 ? fields[1] : string.Empty);

        Assert.Equal(("0100600", "1"), (dump["/etc/immutableinfra/agent.yaml"][4], dump["/etc/immutableinfra/agent.yaml"][7]));
        Assert.Equal("cn", flags["/etc/immutableinfra/agent.yaml"]);
        Assert.Equal("0100755", dump["/usr/bin/immutableinfra-agent"][4]);
        Assert.Equal("0100644", dump["/usr/lib/systemd/system/immutableinfra-agent.service"][4]);
        Assert.Equal("040700", dump["/var/lib/immutableinfra"][4]);
        Assert.Equal("040755", dump["/etc/immutableinfra"][4]);
        Assert.All(dump.Values, fields => Assert.Equal(("root", "root"), (fields[5], fields[6])));

        Assert.Equal(Sha256(Repository.Path("packaging/systemd/immutableinfra-agent.service")), dump["/usr/lib/systemd/system/immutableinfra-agent.service"][3]);
        Assert.Equal(Sha256(Repository.Path("packaging/rpm/agent.yaml")), dump["/etc/immutableinfra/agent.yaml"][3]);
        Assert.Equal(Sha256(Repository.Path("packaging/sysctl/50-immutableinfra-vip.conf")), dump["/usr/lib/sysctl.d/50-immutableinfra-vip.conf"][3]);
        Assert.Equal("0100644", dump["/usr/lib/modules-load.d/immutableinfra-ipvs.conf"][4]);
    }

    [Fact]
    public void Scriptlets_PresetOnInstall_DisableOnRemoval_RestartOnUpgrade()
    {
        var scripts = Command.Check("rpm", "-qp", "--scripts", RpmFile);
        var post = Section(scripts, "postinstall scriptlet");
        var preun = Section(scripts, "preuninstall scriptlet");
        var postun = Section(scripts, "postuninstall scriptlet");

        // $1 is the number of installed instances after the transaction: 1 = first install, 0 = removal.
        Assert.Contains("if [ $1 -eq 1 ]", post, StringComparison.Ordinal);
        Assert.Contains("systemctl --no-reload preset immutableinfra-agent.service", post, StringComparison.Ordinal);
        Assert.Contains("/usr/lib/systemd/systemd-sysctl 50-immutableinfra-vip.conf", post, StringComparison.Ordinal);
        Assert.Contains("if [ $1 -eq 0 ]", preun, StringComparison.Ordinal);
        Assert.Contains("systemctl --no-reload disable --now immutableinfra-agent.service", preun, StringComparison.Ordinal);
        Assert.Contains("daemon-reload", postun, StringComparison.Ordinal);
        Assert.Contains("if [ $1 -ge 1 ]", postun, StringComparison.Ordinal);
        Assert.Contains("systemctl try-restart immutableinfra-agent.service", postun, StringComparison.Ordinal);
        Assert.DoesNotContain("pretrans", scripts, StringComparison.Ordinal);
    }

    [Fact]
    public void Scriptlets_AreValidShell()
    {
        var scripts = Command.Check("rpm", "-qp", "--scripts", RpmFile);
        foreach (var name in new[] { "postinstall scriptlet", "preuninstall scriptlet", "postuninstall scriptlet" })
        {
            var path = Path.Combine(Path.GetTempPath(), $"scriptlet-{Guid.NewGuid():N}.sh");
            File.WriteAllText(path, Section(scripts, name));
            try
            {
                Command.Check("sh", "-n", path);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    [Fact]
    public void Binary_IsTheSelfContainedAgent()
    {
        var requires = Command.Check("rpm", "-qp", "--requires", RpmFile);
        var usage = Command.Run(release.AgentBinary("amd64"), ["--help"], TimeSpan.FromSeconds(30));

        // Only the C library: no .NET runtime, no ICU (invariant globalization).
        Assert.DoesNotContain("libicu", requires, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet", requires, StringComparison.Ordinal);
        Assert.Contains("libc.so.6", requires, StringComparison.Ordinal);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("usage: immutableinfra-agent", usage.Stderr, StringComparison.Ordinal);
    }

    private static string Section(string scripts, string header)
    {
        var start = scripts.IndexOf(header, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no {header} in:\n{scripts}");
        start = scripts.IndexOf('\n', start) + 1;
        var end = scripts.IndexOf(" scriptlet (using", start, StringComparison.Ordinal);
        var text = end < 0 ? scripts[start..] : scripts[start..scripts.LastIndexOf('\n', end)];
        return text;
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
