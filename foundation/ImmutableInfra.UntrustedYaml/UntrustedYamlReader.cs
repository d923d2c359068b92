using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ImmutableInfra.UntrustedYaml;

/// <summary>Reads YAML text that comes from outside the process into YamlDotNet nodes, within fixed bounds.</summary>
public static class UntrustedYamlReader
{
    /// <summary>The longest text read (in characters): agent.yaml, cloud-config and kubeconfigs are far smaller.</summary>
    public const int MaxChars = 4 * 1024 * 1024;

    /// <summary>How deep collections may nest; YamlDotNet's representation model recurses per level.</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// The root node of the first document, or null for a stream without documents. Every document of the stream is
    /// read, so an error in a later one is still reported.
    /// </summary>
    /// <remarks>
    /// Two faults of YamlDotNet 18.1.0 are turned into errors that point at the text: some errors carry line 1,
    /// column 1 (a tab as indentation), and some broken input throws something else than a
    /// YamlException (InvalidOperationException for <c>[a, "b"9</c>, ArgumentException for the tag <c>!!str]</c> or
    /// for <c>- : a</c>). Both then name where the last event YamlDotNet read ended.
    /// </remarks>
    /// <exception cref="YamlException">
    /// The text is not valid YAML or exceeds a bound; <see cref="YamlException.Start"/> holds the 1-based line and
    /// column, <see cref="Exception.Message"/> the problem.
    /// </exception>
    public static YamlNode? ReadFirstDocument(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxChars)
        {
            throw new YamlException(Mark.Empty, Mark.Empty, $"the text is longer than {MaxChars} characters");
        }

        var stream = new YamlStream();
        using var reader = new StringReader(text);
        var parser = new BoundedParser(new Parser(reader), MaxDepth);
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e) when (e.Start.Index == 0 && parser.LastEnd.Index > 0)
        {
            throw new YamlException(parser.LastEnd, parser.LastEnd, e.Message, e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new YamlException(parser.LastEnd, parser.LastEnd, "the text after this point cannot be read", e);
        }

        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }
}
