using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ImmutableInfra.Enrollment.Tests;

public sealed partial class CombustionScriptRendererTests
{
    [Theory]
    [MemberData(nameof(Configs.Names), MemberType = typeof(Configs))]
    public void RenderedScript_PassesBashSyntaxCheckAndShellcheck(string name)
    {
        var path = Tool.WriteTemp(CombustionScriptRenderer.Render(Configs.All[name]), ".sh");
        try
        {
            var bash = Tool.Run("bash", "-n", path);
            var shellcheck = Tool.Run("shellcheck", "--shell=bash", "--severity=style", path);

            Assert.True(bash.ExitCode == 0, $"bash -n {name}:\n{bash.Output}");
            Assert.True(shellcheck.ExitCode == 0, $"shellcheck {name}:\n{shellcheck.Output}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(Configs.Names), MemberType = typeof(Configs))]
    public void Script_HasTheCombustionMarkers_InstallsAndEnablesTheAgent(string name)
    {
        var config = Configs.All[name];
        var lines = CombustionScriptRenderer.Render(config).Split('\n');

        Assert.Equal("#!/bin/bash", lines[0]);
        Assert.Equal("# combustion: network", lines[1]);
        var install = config.AgentPackage.StartsWith("https://", StringComparison.Ordinal)
            ? $"zypper --non-interactive install --allow-unsigned-rpm '{config.AgentPackage}'"
            : $"zypper --non-interactive install '{config.AgentPackage}'";
        Assert.Equal([install, "systemctl enable immutableinfra-agent.service", ""], lines[^3..]);
    }

    [Theory]
    [MemberData(nameof(Configs.Names), MemberType = typeof(Configs))]
    public void Token_IsOnlyInAgentYaml_AndCaOnlyInCaPem_WithTheirModes(string name)
    {
        var config = Configs.All[name];
        var script = CombustionScriptRenderer.Render(config);
        var files = HereDocuments().Matches(script).ToDictionary(m => m.Groups["path"].Value, m => (Body: m.Groups["body"].Value, Mode: m.Groups["mode"].Value));
        var outside = HereDocuments().Replace(script, string.Empty);

        Assert.Equal("600", files["/etc/immutableinfra/agent.yaml"].Mode);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(files["/etc/immutableinfra/agent.yaml"].Body));
        Assert.Equal(Configs.Token, ((YamlScalarNode)((YamlMappingNode)yaml.Documents[0].RootNode)["registrationToken"]).Value);
        Assert.Equal(["/etc/immutableinfra/agent.yaml"], files.Where(f => f.Value.Body.Contains(Configs.TokenMarker, StringComparison.Ordinal)).Select(f => f.Key));
        Assert.DoesNotContain(Configs.TokenMarker, outside, StringComparison.Ordinal);

        var caBody = Configs.CaPem.Split('\n')[1];
        Assert.DoesNotContain(caBody, outside, StringComparison.Ordinal);
        if (config.CaBundlePem is null)
        {
            Assert.DoesNotContain("/etc/immutableinfra/ca.pem", files.Keys);
        }
        else
        {
            Assert.Equal("644", files["/etc/immutableinfra/ca.pem"].Mode);
            Assert.Equal(["/etc/immutableinfra/ca.pem"], files.Where(f => f.Value.Body.Contains(caBody, StringComparison.Ordinal)).Select(f => f.Key));
        }

        if (config.Network is not null)
        {
            Assert.Equal("600", files["/etc/NetworkManager/system-connections/immutableinfra-static.nmconnection"].Mode);
        }
    }

    [Fact]
    public void IgnitionAndCombustion_WriteTheSameFiles()
    {
        var config = Configs.All["static-ipv4-by-mac"];
        var script = CombustionScriptRenderer.Render(config);
        var ignition = IgnitionConfigRenderer.Render(config);

        foreach (Match file in HereDocuments().Matches(script))
        {
            var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(file.Groups["body"].Value));
            Assert.Contains($"\"path\": \"{file.Groups["path"].Value}\"", ignition, StringComparison.Ordinal);
            Assert.Contains(encoded, ignition, StringComparison.Ordinal);
        }

        Assert.Equal(3, HereDocuments().Count(script));
    }

    [GeneratedRegex(@"cat > '(?<path>[^']+)' <<'IMMUTABLEINFRA_EOF'\n(?<body>.*?)IMMUTABLEINFRA_EOF\nchmod 0(?<mode>[0-7]{3}) '\k<path>'\n", RegexOptions.Singleline)]
    private static partial Regex HereDocuments();
}
