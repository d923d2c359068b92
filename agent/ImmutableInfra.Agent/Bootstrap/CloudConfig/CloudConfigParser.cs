using ImmutableInfra.UntrustedYaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ImmutableInfra.Agent.Bootstrap.CloudConfig;

/// <summary>
/// Parses "#cloud-config" user data (after template rendering) as YAML, decoding every
/// file up front so malformed data fails before anything is written. Modules the agent does not
/// implement are ignored, as cloud-init ignores modules it does not know.
/// </summary>
internal static class CloudConfigParser
{
    public static CloudConfigDocument Parse(string text)
    {
        if (!text.TrimStart().StartsWith("#cloud-config", StringComparison.Ordinal))
        {
            throw new BootstrapParseException("cloud-config: data does not start with #cloud-config");
        }

        YamlNode? document;
        try
        {
            document = UntrustedYamlReader.ReadFirstDocument(text);
        }
        catch (YamlException e)
        {
            throw new BootstrapParseException($"cloud-config: invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }

        if (document is null)
        {
            return new CloudConfigDocument([], [], [], []);
        }

        if (document is not YamlMappingNode root)
        {
            throw new BootstrapParseException("cloud-config: the top level must be a mapping");
        }

        return new CloudConfigDocument(
            Sequence(root, "write_files").Select(ParseFile).ToList(),
            Sequence(root, "bootcmd").Select((n, i) => ParseCommand("bootcmd", i, n)).ToList(),
            Sequence(root, "runcmd").Select((n, i) => ParseCommand("runcmd", i, n)).ToList(),
            Sequence(root, "users").Select(ParseUser).OfType<CloudConfigUser>().ToList());
    }

    private static IEnumerable<YamlNode> Sequence(YamlMappingNode root, string key)
    {
        if (!root.TryGetValue(key, out var node) || node.IsNull())
        {
            return [];
        }

        return node is YamlSequenceNode sequence
            ? sequence.Children
            : throw new BootstrapParseException($"cloud-config: {key} must be a list");
    }

    private static CloudConfigFile ParseFile(YamlNode node, int index)
    {
        if (node is not YamlMappingNode entry)
        {
            throw new BootstrapParseException($"cloud-config: write_files[{index}] must be a mapping");
        }

        var path = Scalar(entry, "path") ?? throw new BootstrapParseException($"cloud-config: write_files[{index}] has no path");
        if (!path.StartsWith('/'))
        {
            throw new BootstrapParseException($"cloud-config: write_files[{index}] path '{path}' is not absolute");
        }

        return new CloudConfigFile(
            path,
            WriteFilesDecoder.Decode(path, Scalar(entry, "content") ?? string.Empty, Scalar(entry, "encoding")),
            WriteFilesDecoder.ParseMode(path, Scalar(entry, "permissions")),
            Scalar(entry, "owner") ?? "root:root",
            Bool(entry, "append", path),
            Bool(entry, "defer", path));
    }

    private static CloudConfigCommand ParseCommand(string module, int index, YamlNode node) => node switch
    {
        YamlScalarNode { Value: { Length: > 0 } line } => new CloudConfigCommand("/bin/sh", ["-c", line]),
        YamlSequenceNode { Children.Count: > 0 } argv when argv.Children.All(c => c is YamlScalarNode) =>
            new CloudConfigCommand(((YamlScalarNode)argv.Children[0]).Text(), argv.Children.Skip(1).Select(c => ((YamlScalarNode)c).Text()).ToList()),
        _ => throw new BootstrapParseException($"cloud-config: {module}[{index}] must be a string or a list of strings"),
    };

    private static CloudConfigUser? ParseUser(YamlNode node, int index)
    {
        if (node is YamlScalarNode { Value: "default" })
        {
            // "default" means the distro's default user; bare-metal images have none to create.
            return null;
        }

        if (node is not YamlMappingNode entry || Scalar(entry, "name") is not { Length: > 0 } name)
        {
            throw new BootstrapParseException($"cloud-config: users[{index}] must be a mapping with a name");
        }

        var keys = entry.TryGetValue("ssh_authorized_keys", out var keyNode) && keyNode is YamlSequenceNode keyList
            ? keyList.Children.OfType<YamlScalarNode>().Select(k => k.Text()).Where(k => k.Length > 0).ToList()
            : [];
        var groups = entry.TryGetValue("groups", out var groupNode)
            ? groupNode switch
            {
                YamlScalarNode scalar => scalar.Text().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
                YamlSequenceNode list => list.Children.OfType<YamlScalarNode>().Select(g => g.Text()).ToList(),
                _ => [],
            }
            : [];
        var sudo = entry.TryGetValue("sudo", out var sudoNode)
            ? sudoNode switch
            {
                YamlScalarNode { Value: { Length: > 0 } rule } when rule is not ("false" or "False") => [rule],
                YamlSequenceNode rules => rules.Children.OfType<YamlScalarNode>().Select(r => r.Text()).Where(r => r.Length > 0).ToList(),
                _ => new List<string>(),
            }
            : [];
        return new CloudConfigUser(name, Scalar(entry, "shell"), groups, keys, sudo);
    }

    private static string? Scalar(YamlMappingNode entry, string key) =>
        entry.TryGetValue(key, out var node) && node is YamlScalarNode scalar ? scalar.Text() : null;

    private static bool Bool(YamlMappingNode entry, string key, string path) => Scalar(entry, key)?.ToLowerInvariant() switch
    {
        null or "false" or "no" => false,
        "true" or "yes" => true,
        var other => throw new BootstrapParseException($"cloud-config: write_files {path}: {key} '{other}' is not a boolean"),
    };
}
