using ImmutableInfra.UntrustedYaml;
using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ImmutableInfra.Agent.Configuration;

/// <summary>
/// Loads agent.yaml (read as a YAML node tree, no reflection, so NativeAOT-safe) and the IMMUTABLEINFRA_AGENT_* environment
/// (.NET configuration's own provider: IMMUTABLEINFRA_AGENT_HEARTBEATINTERVAL, IMMUTABLEINFRA_AGENT_RECONNECTBACKOFF__MAX,
/// IMMUTABLEINFRA_AGENT_LABELS__rack=7) as one configuration, the environment winning, and binds and validates it,
/// collecting every problem with the field it concerns.
/// </summary>
internal sealed class AgentConfigLoader(string environmentPrefix = ConfigKeys.EnvironmentPrefix)
{
    private const long MaxConfigBytes = 1024 * 1024;

    public ConfigLoadResult Load(string path)
    {
        var errors = new List<ConfigIssue>();
        var warnings = new List<ConfigIssue>();
        var scalars = new Dictionary<string, string>(StringComparer.Ordinal);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var persistentDisks = new List<string>();

        string? text = null;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxConfigBytes)
            {
                errors.Add(new ConfigIssue("(file)", $"{path} is larger than {MaxConfigBytes} bytes"));
            }
            else
            {
                text = File.ReadAllText(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add(new ConfigIssue("(file)", $"cannot read {path}: {e.Message}"));
        }

        if (text is not null)
        {
            ReadYaml(text, scalars, labels, persistentDisks, errors);
        }

        if (errors.Count > 0)
        {
            return new ConfigLoadResult(null, errors, warnings);
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(FileValues(scalars, labels, persistentDisks))
            .AddEnvironmentVariables(environmentPrefix)
            .Build();
        var options = AgentOptionsBinder.Bind(configuration, errors, warnings);
        return new ConfigLoadResult(errors.Count == 0 ? options : null, errors, warnings);
    }

    /// <summary>The file's values under configuration keys: "reconnectBackoff:min", "labels:NAME", "persistentDisks:0".</summary>
    private static IEnumerable<KeyValuePair<string, string?>> FileValues(
        Dictionary<string, string> scalars, Dictionary<string, string> labels, List<string> persistentDisks)
    {
        foreach (var (key, value) in scalars)
        {
            yield return new(ConfigKeys.PathOf(key), value);
        }

        foreach (var (name, value) in labels)
        {
            yield return new(ConfigurationPath.Combine(ConfigKeys.Labels, name), value);
        }

        for (var i = 0; i < persistentDisks.Count; i++)
        {
            yield return new(ConfigurationPath.Combine(ConfigKeys.PersistentDisks, i.ToString(global::System.Globalization.CultureInfo.InvariantCulture)), persistentDisks[i]);
        }
    }

    private static void ReadYaml(
        string text,
        Dictionary<string, string> scalars,
        Dictionary<string, string> labels,
        List<string> persistentDisks,
        List<ConfigIssue> errors)
    {
        YamlNode? document;
        try
        {
            document = UntrustedYamlReader.ReadFirstDocument(text);
        }
        catch (YamlException e)
        {
            errors.Add(new ConfigIssue("(file)", $"not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}"));
            return;
        }

        if (document is null)
        {
            return;
        }

        if (document is not YamlMappingNode root)
        {
            errors.Add(new ConfigIssue("(file)", "the top level must be a mapping"));
            return;
        }

        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Text();
            switch (key)
            {
                case ConfigKeys.Labels:
                    ReadLabels(valueNode, labels, errors);
                    break;
                case ConfigKeys.PersistentDisks:
                    ReadList(valueNode, persistentDisks, errors);
                    break;
                case ConfigKeys.ReconnectBackoff:
                    ReadBackoff(valueNode, scalars, errors);
                    break;
                default:
                    if (!ConfigKeys.Scalars.Contains(key))
                    {
                        errors.Add(new ConfigIssue(key, "unknown key"));
                    }
                    else if (valueNode is YamlScalarNode scalar)
                    {
                        scalars[key] = scalar.Text();
                    }
                    else
                    {
                        errors.Add(new ConfigIssue(key, "must be a single value"));
                    }

                    break;
            }
        }
    }

    private static void ReadBackoff(YamlNode node, Dictionary<string, string> scalars, List<ConfigIssue> errors)
    {
        if (node is not YamlMappingNode mapping)
        {
            errors.Add(new ConfigIssue(ConfigKeys.ReconnectBackoff, "must be a mapping with min and max"));
            return;
        }

        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = ConfigKeys.ReconnectBackoff + "." + ((YamlScalarNode)keyNode).Text();
            if (key is not (ConfigKeys.ReconnectBackoffMin or ConfigKeys.ReconnectBackoffMax))
            {
                errors.Add(new ConfigIssue(key, "unknown key"));
            }
            else if (valueNode is YamlScalarNode scalar)
            {
                scalars[key] = scalar.Text();
            }
            else
            {
                errors.Add(new ConfigIssue(key, "must be a duration such as 1s or 2m"));
            }
        }
    }

    private static void ReadLabels(YamlNode node, Dictionary<string, string> labels, List<ConfigIssue> errors)
    {
        if (node is not YamlMappingNode mapping)
        {
            errors.Add(new ConfigIssue(ConfigKeys.Labels, "must be a mapping of label names to values"));
            return;
        }

        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var name = ((YamlScalarNode)keyNode).Text();
            if (valueNode is YamlScalarNode value)
            {
                labels[name] = value.Text();
            }
            else
            {
                errors.Add(new ConfigIssue($"{ConfigKeys.Labels}.{name}", "must be a string"));
            }
        }
    }

    private static void ReadList(YamlNode node, List<string> items, List<ConfigIssue> errors)
    {
        if (node is not YamlSequenceNode sequence)
        {
            errors.Add(new ConfigIssue(ConfigKeys.PersistentDisks, "must be a list of disk paths"));
            return;
        }

        foreach (var item in sequence.Children)
        {
            if (item is YamlScalarNode scalar)
            {
                items.Add(scalar.Text());
            }
            else
            {
                errors.Add(new ConfigIssue(ConfigKeys.PersistentDisks, "entries must be strings"));
            }
        }
    }
}
