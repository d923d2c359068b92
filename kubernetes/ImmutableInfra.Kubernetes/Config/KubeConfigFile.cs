using ImmutableInfra.UntrustedYaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ImmutableInfra.Kubernetes.Config;

/// <summary>One parsed kubeconfig file: its named entries kept as YAML nodes with their index for error paths.</summary>
internal sealed class KubeConfigFile
{
    private KubeConfigFile(string path)
    {
        Path = path;
        Directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? "/";
    }

    public string Path { get; }

    public string Directory { get; }

    public string? CurrentContext { get; private set; }

    public List<KubeConfigEntry> Clusters { get; } = [];

    public List<KubeConfigEntry> Users { get; } = [];

    public List<KubeConfigEntry> Contexts { get; } = [];

    public static KubeConfigFile Parse(string path, string text)
    {
        var file = new KubeConfigFile(path);
        YamlNode? document;
        try
        {
            document = UntrustedYamlReader.ReadFirstDocument(text);
        }
        catch (YamlException e)
        {
            throw new KubeConfigException($"{path}: not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }

        if (document is null)
        {
            return file;
        }

        if (document is not YamlMappingNode root)
        {
            throw new KubeConfigException($"{path}: the document is not a mapping");
        }

        file.CurrentContext = YamlValues.Scalar(root, "current-context", path, "current-context");
        Collect(root, "clusters", "cluster", file.Clusters, file);
        Collect(root, "users", "user", file.Users, file);
        Collect(root, "contexts", "context", file.Contexts, file);
        return file;
    }

    private static void Collect(YamlMappingNode root, string key, string innerKey, List<KubeConfigEntry> into, KubeConfigFile file)
    {
        if (!root.TryGetValue(key, out var node) || node.IsNull())
        {
            return;
        }

        if (node is not YamlSequenceNode sequence)
        {
            throw new KubeConfigException($"{file.Path}: {key}: must be a list");
        }

        var index = 0;
        foreach (var item in sequence.Children)
        {
            var path = $"{key}[{index}]";
            if (item is not YamlMappingNode entry)
            {
                throw new KubeConfigException($"{file.Path}: {path}: must be a mapping");
            }

            var name = YamlValues.Scalar(entry, "name", file.Path, $"{path}.name")
                ?? throw new KubeConfigException($"{file.Path}: {path}.name: required");
            var body = entry.TryGetValue(innerKey, out var inner) ? inner as YamlMappingNode : null;
            into.Add(new KubeConfigEntry(name, body, $"{path}.{innerKey}", file));
            index++;
        }
    }
}

/// <summary>A named cluster, user or context entry, with the path used in error messages.</summary>
internal sealed record KubeConfigEntry(string Name, YamlMappingNode? Body, string FieldPath, KubeConfigFile File)
{
    public string? Scalar(string key) => Body is null ? null : YamlValues.Scalar(Body, key, File.Path, $"{FieldPath}.{key}");

    public bool Has(string key) => Body?.TryGetValue(key, out _) == true;

    public string Describe(string key) => $"{File.Path}: {FieldPath}.{key}";
}
