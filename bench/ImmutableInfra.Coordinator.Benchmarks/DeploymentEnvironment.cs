using YamlDotNet.RepresentationModel;

namespace ImmutableInfra.Coordinator.Benchmarks;

/// <summary>
/// The literal environment (NAME=VALUE; not fieldRef) that packaging/manifests/deployment.yaml gives the coordinator
/// container: its runtime settings (GC, malloc) are part of how it ships, so the benchmark runs it with them.
/// </summary>
internal static class DeploymentEnvironment
{
    public static IReadOnlyList<string> Read(string manifestPath)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(manifestPath))
        {
            stream.Load(reader);
        }

        var containers = stream.Documents
            .Select(d => d.RootNode)
            .OfType<YamlMappingNode>()
            .Where(root => Scalar(root, "kind") == "Deployment")
            .SelectMany(root => Sequence(Mapping(Mapping(Mapping(root, "spec"), "template"), "spec"), "containers"))
            .Where(container => Scalar(container, "name") == "coordinator")
            .ToList();
        if (containers.Count != 1)
        {
            throw new InvalidDataException($"{manifestPath}: expected one Deployment container named coordinator, found {containers.Count}");
        }

        return [.. Sequence(containers[0], "env")
            .Where(variable => Scalar(variable, "value") is not null)
            .Select(variable => $"{Scalar(variable, "name")}={Scalar(variable, "value")}")];
    }

    private static YamlMappingNode? Mapping(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child as YamlMappingNode : null;

    private static IEnumerable<YamlMappingNode> Sequence(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlSequenceNode sequence
            ? sequence.Children.OfType<YamlMappingNode>()
            : [];

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? (child as YamlScalarNode)?.Value : null;
}
