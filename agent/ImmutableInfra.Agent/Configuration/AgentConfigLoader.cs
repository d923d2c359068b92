using ImmutableInfra.UntrustedYaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ImmutableInfra.Agent.Configuration;

/// <summary>
/// Loads agent.yaml (read as a YAML node tree, no reflection, so NativeAOT-safe), applies IMMUTABLEINFRA_AGENT_*
/// overrides and validates the result, collecting every problem with the field it concerns.
/// </summary>
internal sealed class AgentConfigLoader(IReadOnlyDictionary<string, string> environment)
{
    private const long MaxConfigBytes = 1024 * 1024;

    public static AgentConfigLoader FromProcessEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (global::System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && key.StartsWith(ConfigKeys.EnvironmentPrefix, StringComparison.Ordinal))
            {
                variables[key] = entry.Value as string ?? string.Empty;
            }
        }

        return new AgentConfigLoader(variables);
    }

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

        ApplyEnvironment(scalars, labels, persistentDisks, errors);
        if (errors.Count > 0)
        {
            return new ConfigLoadResult(null, errors, warnings);
        }

        var options = AgentOptionsBinder.Bind(scalars, labels, persistentDisks, errors, warnings);
        return new ConfigLoadResult(errors.Count == 0 ? options : null, errors, warnings);
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

    private void ApplyEnvironment(
        Dictionary<string, string> scalars,
        Dictionary<string, string> labels,
        List<string> persistentDisks,
        List<ConfigIssue> errors)
    {
        foreach (var key in ConfigKeys.Scalars)
        {
            if (environment.TryGetValue(ConfigKeys.EnvironmentName(key), out var value))
            {
                scalars[key] = value;
            }
        }

        if (environment.TryGetValue(ConfigKeys.EnvironmentName(ConfigKeys.Labels), out var labelText))
        {
            foreach (var pair in labelText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    errors.Add(new ConfigIssue(ConfigKeys.Labels, $"environment entry '{pair}' is not name=value"));
                    continue;
                }

                labels[pair[..equals]] = pair[(equals + 1)..];
            }
        }

        if (environment.TryGetValue(ConfigKeys.EnvironmentName(ConfigKeys.PersistentDisks), out var disks))
        {
            persistentDisks.Clear();
            persistentDisks.AddRange(disks.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
    }
}
