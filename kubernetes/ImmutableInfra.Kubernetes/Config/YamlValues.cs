using ImmutableInfra.UntrustedYaml;
using YamlDotNet.RepresentationModel;

namespace ImmutableInfra.Kubernetes.Config;

/// <summary>Reads scalar values out of YAML mappings, naming the field when the shape is wrong.</summary>
internal static class YamlValues
{
    public static string? Scalar(YamlMappingNode mapping, string key, string file, string fieldPath)
    {
        if (!mapping.TryGetValue(key, out var node))
        {
            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            throw new KubeConfigException($"{file}: {fieldPath}: must be a string");
        }

        return string.IsNullOrEmpty(scalar.Value) ? null : scalar.Value;
    }
}
