using ImmutableInfra.Yaml;

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
            document = YamlReader.ReadFirstDocument(text);
        }
        catch (YamlSyntaxException e)
        {
            throw new BootstrapParseException($"cloud-config: invalid YAML at line {e.Line}, column {e.Column}: {e.Problem}");
        }

        if (document is null)
        {
            return new CloudConfigDocument([], [], [], []);
        }

        if (document is not YamlMapping root)
        {
            throw new BootstrapParseException("cloud-config: the top level must be a mapping");
        }

        return new CloudConfigDocument(
            Sequence(root, "write_files").Select(ParseFile).ToList(),
            Sequence(root, "bootcmd").Select((n, i) => ParseCommand("bootcmd", i, n)).ToList(),
            Sequence(root, "runcmd").Select((n, i) => ParseCommand("runcmd", i, n)).ToList(),
            Sequence(root, "users").Select(ParseUser).OfType<CloudConfigUser>().ToList());
    }

    private static IEnumerable<YamlNode> Sequence(YamlMapping root, string key)
    {
        if (!root.TryGetValue(key, out var node) || node is YamlScalar { IsNull: true })
        {
            return [];
        }

        return node is YamlSequence sequence
            ? sequence.Items
            : throw new BootstrapParseException($"cloud-config: {key} must be a list");
    }

    private static CloudConfigFile ParseFile(YamlNode node, int index)
    {
        if (node is not YamlMapping entry)
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
        YamlScalar { Value: { Length: > 0 } line } => new CloudConfigCommand("/bin/sh", ["-c", line]),
        YamlSequence { Items.Count: > 0 } argv when argv.Items.All(c => c is YamlScalar) =>
            new CloudConfigCommand(((YamlScalar)argv.Items[0]).Value, argv.Items.Skip(1).Select(c => ((YamlScalar)c).Value).ToList()),
        _ => throw new BootstrapParseException($"cloud-config: {module}[{index}] must be a string or a list of strings"),
    };

    private static CloudConfigUser? ParseUser(YamlNode node, int index)
    {
        if (node is YamlScalar { Value: "default" })
        {
            // "default" means the distro's default user; bare-metal images have none to create.
            return null;
        }

        if (node is not YamlMapping entry || Scalar(entry, "name") is not { Length: > 0 } name)
        {
            throw new BootstrapParseException($"cloud-config: users[{index}] must be a mapping with a name");
        }

        var keys = entry.TryGetValue("ssh_authorized_keys", out var keyNode) && keyNode is YamlSequence keyList
            ? keyList.Items.OfType<YamlScalar>().Select(k => k.Value).Where(k => k.Length > 0).ToList()
            : [];
        var groups = entry.TryGetValue("groups", out var groupNode)
            ? groupNode switch
            {
                YamlScalar scalar => scalar.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
                YamlSequence list => list.Items.OfType<YamlScalar>().Select(g => g.Value).ToList(),
                _ => [],
            }
            : [];
        var sudo = entry.TryGetValue("sudo", out var sudoNode)
            ? sudoNode switch
            {
                YamlScalar { Value: { Length: > 0 } rule } when rule is not ("false" or "False") => [rule],
                YamlSequence rules => rules.Items.OfType<YamlScalar>().Select(r => r.Value).Where(r => r.Length > 0).ToList(),
                _ => new List<string>(),
            }
            : [];
        return new CloudConfigUser(name, Scalar(entry, "shell"), groups, keys, sudo);
    }

    private static string? Scalar(YamlMapping entry, string key) =>
        entry.TryGetValue(key, out var node) && node is YamlScalar scalar ? scalar.Value : null;

    private static bool Bool(YamlMapping entry, string key, string path) => Scalar(entry, key)?.ToLowerInvariant() switch
    {
        null or "false" or "no" => false,
        "true" or "yes" => true,
        var other => throw new BootstrapParseException($"cloud-config: write_files {path}: {key} '{other}' is not a boolean"),
    };
}
