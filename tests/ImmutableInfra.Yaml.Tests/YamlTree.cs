using System.Text;
using ImmutableInfra.Yaml;
using YamlDotNet.RepresentationModel;

namespace ImmutableInfra.Yaml.Tests;

/// <summary>One canonical text for a tree from either parser, so two parses compare as strings.</summary>
internal static class YamlTree
{
    public static string Of(YamlNode node, bool styles = true)
    {
        var text = new StringBuilder();
        Write(node, text, styles);
        return text.ToString();
    }

    public static string Of(IEnumerable<YamlNode> documents, bool styles = true) =>
        string.Join("\n---\n", documents.Select(d => Of(d, styles)));

    public static string Reference(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return string.Join("\n---\n", stream.Documents.Select(d =>
        {
            var text = new StringBuilder();
            Write(d.RootNode, text);
            return text.ToString();
        }));
    }

    private static void Write(YamlNode node, StringBuilder text, bool styles)
    {
        switch (node)
        {
            case YamlScalar scalar:
                Scalar(scalar.Value, styles ? scalar.Style.ToString() : null, scalar.Tag, text);
                break;
            case YamlSequence sequence:
                Tag(sequence.Tag, text);
                text.Append('[');
                foreach (var item in sequence.Items)
                {
                    Write(item, text, styles);
                    text.Append(',');
                }

                text.Append(']');
                break;
            case YamlMapping mapping:
                Tag(mapping.Tag, text);
                text.Append('{');
                foreach (var (key, value) in mapping.Entries)
                {
                    Write(key, text, styles);
                    text.Append(':');
                    Write(value, text, styles);
                    text.Append(',');
                }

                text.Append('}');
                break;
        }
    }

    private static void Write(YamlDotNet.RepresentationModel.YamlNode node, StringBuilder text)
    {
        var tag = node.Tag.IsEmpty || node.Tag.IsNonSpecific ? null : node.Tag.Value;
        switch (node)
        {
            case YamlScalarNode scalar:
                Scalar(scalar.Value ?? string.Empty, scalar.Style switch
                {
                    YamlDotNet.Core.ScalarStyle.SingleQuoted => "SingleQuoted",
                    YamlDotNet.Core.ScalarStyle.DoubleQuoted => "DoubleQuoted",
                    YamlDotNet.Core.ScalarStyle.Literal => "Literal",
                    YamlDotNet.Core.ScalarStyle.Folded => "Folded",
                    _ => "Plain",
                }, tag, text);
                break;
            case YamlSequenceNode sequence:
                Tag(tag, text);
                text.Append('[');
                foreach (var item in sequence.Children)
                {
                    Write(item, text);
                    text.Append(',');
                }

                text.Append(']');
                break;
            case YamlMappingNode mapping:
                Tag(tag, text);
                text.Append('{');
                foreach (var (key, value) in mapping.Children)
                {
                    Write(key, text);
                    text.Append(':');
                    Write(value, text);
                    text.Append(',');
                }

                text.Append('}');
                break;
        }
    }

    public static void Scalar(string value, string? style, string? tag, StringBuilder text)
    {
        Tag(tag, text);
        if (style is not null)
        {
            text.Append(style[0]);
        }

        text.Append('"');
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\n' => "\\n",
                '\t' => "\\t",
                '"' => "\\\"",
                '\\' => "\\\\",
                _ => c.ToString(),
            });
        }

        text.Append('"');
    }

    private static void Tag(string? tag, StringBuilder text)
    {
        if (tag is not null)
        {
            text.Append('<').Append(tag).Append('>');
        }
    }
}
