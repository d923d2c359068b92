using System.Text;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace ImmutableInfra.Enrollment.Tests;

public sealed class IgnitionConfigRendererTests
{
    [Theory]
    [MemberData(nameof(Configs.Names), MemberType = typeof(Configs))]
    public void RenderedConfig_PassesIgnitionValidate(string name)
    {
        var path = Tool.WriteTemp(IgnitionConfigRenderer.Render(Configs.All[name]), ".ign");
        try
        {
            var (exitCode, output) = Tool.Run("ignition-validate", path);

            Assert.True(exitCode == 0 && output.Trim().Length == 0, $"ignition-validate {name}: exit {exitCode}\n{output}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(Configs.Names), MemberType = typeof(Configs))]
    public void Token_IsOnlyInAgentYaml_AndCaOnlyInCaPem(string name)
    {
        var config = Configs.All[name];
        var json = IgnitionConfigRenderer.Render(config);
        var files = Files(json);

        Assert.DoesNotContain(Configs.TokenMarker, json, StringComparison.Ordinal);
        Assert.Equal(["/etc/immutableinfra/agent.yaml"], files.Where(f => f.Value.Contents.Contains(Configs.TokenMarker, StringComparison.Ordinal)).Select(f => f.Key));
        foreach (var unit in JsonNode.Parse(json)!["systemd"]!["units"]!.AsArray())
        {
            Assert.DoesNotContain(Configs.TokenMarker, (string)unit!["contents"]!, StringComparison.Ordinal);
        }

        var caBody = Configs.CaPem.Split('\n')[1];
        var expected = config.CaBundlePem is null ? Array.Empty<string>() : ["/etc/immutableinfra/ca.pem"];
        Assert.Equal(expected, files.Where(f => f.Value.Contents.Contains(caBody, StringComparison.Ordinal)).Select(f => f.Key));
    }

    [Theory]
    [MemberData(nameof(Configs.Names), MemberType = typeof(Configs))]
    public void AgentYaml_IsOwnerOnly_AndReadsBackAsTheAgentConfig(string name)
    {
        var config = Configs.All[name];
        var agentYaml = Files(IgnitionConfigRenderer.Render(config))["/etc/immutableinfra/agent.yaml"];

        Assert.Equal(Convert.ToInt32("600", 8), agentYaml.Mode);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(agentYaml.Contents));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        string? Value(string key) => root.Children.TryGetValue(new YamlScalarNode(key), out var node) ? ((YamlScalarNode)node).Value : null;
        Assert.Equal(config.CoordinatorUrl.AbsoluteUri, Value("coordinatorUrl"));
        Assert.Equal(config.Pool, Value("pool"));
        Assert.Equal(Configs.Token, Value("registrationToken"));
        Assert.Equal(config.CaBundlePem is null ? null : "/etc/immutableinfra/ca.pem", Value("caFile"));
        Assert.Equal(config.InsecurePlaintext ? "true" : null, Value("insecure"));
    }

    [Fact]
    public void StaticNetwork_IsAnOwnerOnlyKeyfile_MatchingTheNicByMac()
    {
        var keyfile = Files(IgnitionConfigRenderer.Render(Configs.All["static-ipv4-by-mac"]))
            ["/etc/NetworkManager/system-connections/immutableinfra-static.nmconnection"];

        Assert.Equal(Convert.ToInt32("600", 8), keyfile.Mode);
        Assert.Equal(
            """
            [connection]
            id=immutableinfra-static
            type=ethernet
            autoconnect=true
            autoconnect-priority=100

            [ethernet]
            mac-address=52:54:00:12:34:56

            [ipv4]
            method=manual
            address1=192.0.2.10/24
            gateway=192.0.2.1
            dns=192.0.2.53;192.0.2.54;
            ignore-auto-dns=true

            [ipv6]
            method=ignore

            """,
            keyfile.Contents);
    }

    [Fact]
    public void DualStack_PutsEachAddressGatewayAndDnsInItsFamily()
    {
        var keyfile = Files(IgnitionConfigRenderer.Render(Configs.All["static-dual-stack-by-name"]))
            ["/etc/NetworkManager/system-connections/immutableinfra-static.nmconnection"].Contents;

        Assert.Contains("interface-name=eno1\n", keyfile, StringComparison.Ordinal);
        Assert.Contains("[ipv4]\nmethod=manual\naddress1=198.51.100.7/26\n\n", keyfile, StringComparison.Ordinal);
        Assert.Contains("[ipv6]\nmethod=manual\naddress1=2001:db8::7/64\ngateway=2001:db8::1\ndns=2001:db8::53;\n", keyfile, StringComparison.Ordinal);
    }

    [Fact]
    public void InstallUnit_InstallsInANewSnapshot_EnablesTheAgent_AndRunsOnlyUntilTheAgentExists()
    {
        var json = JsonNode.Parse(IgnitionConfigRenderer.Render(Configs.All["ca-and-rpm-url"]))!;
        var unit = Assert.Single(json["systemd"]!["units"]!.AsArray())!;
        var contents = (string)unit["contents"]!;

        Assert.Equal("3.3.0", (string?)json["ignition"]!["version"]);
        Assert.Equal("immutableinfra-install.service", (string?)unit["name"]);
        Assert.True((bool)unit["enabled"]!);
        Assert.Contains("ConditionPathExists=!/usr/bin/immutableinfra-agent\n", contents, StringComparison.Ordinal);
        // The URL's %20 must reach zypper as %20, not as a systemd specifier.
        Assert.Contains(
            "ExecStart=/usr/sbin/transactional-update --non-interactive run zypper --non-interactive install --allow-unsigned-rpm https://repo.example.internal/agent%%20builds/immutableinfra-agent-0.1.0-1.x86_64.rpm\n",
            contents,
            StringComparison.Ordinal);
        Assert.Contains("--continue run systemctl enable immutableinfra-agent.service\n", contents, StringComparison.Ordinal);
        Assert.EndsWith("ExecStart=/usr/bin/systemctl --no-block reboot\n\n[Install]\nWantedBy=multi-user.target\n", contents, StringComparison.Ordinal);
    }

    private static Dictionary<string, (int Mode, string Contents)> Files(string json)
    {
        var files = new Dictionary<string, (int, string)>(StringComparer.Ordinal);
        foreach (var file in JsonNode.Parse(json)!["storage"]!["files"]!.AsArray())
        {
            var source = (string)file!["contents"]!["source"]!;
            Assert.StartsWith("data:;base64,", source, StringComparison.Ordinal);
            files.Add((string)file["path"]!, ((int)file["mode"]!, Encoding.UTF8.GetString(Convert.FromBase64String(source["data:;base64,".Length..]))));
        }

        return files;
    }
}
