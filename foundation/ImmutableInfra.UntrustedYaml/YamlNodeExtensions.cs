using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ImmutableInfra.UntrustedYaml;

/// <summary>The few questions our readers ask of YamlDotNet nodes.</summary>
public static class YamlNodeExtensions
{
    /// <summary>True for an untagged plain scalar the YAML core schema reads as null: empty, "~", "null", "Null", "NULL".</summary>
    public static bool IsNull(this YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Tag.IsEmpty: true, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>The value of a scalar key, if the mapping has it.</summary>
    public static bool TryGetValue(this YamlMappingNode mapping, string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out YamlNode? value)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        return mapping.Children.TryGetValue(new YamlScalarNode(key), out value);
    }

    /// <summary>A scalar's text; an absent value ("key:") is the empty string.</summary>
    public static string Text(this YamlScalarNode scalar)
    {
        ArgumentNullException.ThrowIfNull(scalar);
        return scalar.Value ?? string.Empty;
    }
}
