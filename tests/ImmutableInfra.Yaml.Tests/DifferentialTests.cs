using Xunit.Abstractions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ImmutableInfra.Yaml.Tests;

/// <summary>
/// The reader against YamlDotNet: every YAML file of this repository, and random trees that YamlDotNet's emitter
/// writes in every scalar and collection style at several widths (so long scalars fold over lines). Both parsers
/// must give the same tree, and the random trees' scalars must come back as generated.
/// </summary>
public sealed class DifferentialTests(ITestOutputHelper output)
{
    // No U+2028, U+2029 or U+0085: YAML 1.2 reads them as text, YamlDotNet (like YAML 1.1) as line breaks. No tab
    // right after a line break, and no CR: YamlDotNet's emitter writes them raw into quoted scalars, where a tab is
    // indentation and CR LF a line break. No lone tab: the emitter writes it as a plain scalar, which cannot be blank.
    private static readonly string[] Texts =
    [
        "", " ", "a", "a b", "a  b", "multi\nline", "trailing \n", "  leading", "trailing  ", "#hash", "a #b", "a: b", "a:b",
        "- x", "-x", "[x]", "{x}", "x, y", "tab\there", "quote'", "dq\"", "back\\slash", "é 中文", "emoji 😀", "null", "~",
        "true", "123", "0x1F", "http://a:b/c", "line1\n\nline3", "\n\nleading breaks", "trailing\n\n", "x:", ":x", "?x",
        "--- x", "...", "%x", "@x", "`x", "!x", "&x", "*x", "|", ">", "a\n b", "a \n b", " \n ", "\n", "a\tb\nc\td",
        "bell\a", "nul\0", "esc\u001b", "nbsp\u00a0",
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2p0ZXN0\n-----END CERTIFICATE-----\n",
        "The quick brown fox jumps over the lazy dog and keeps running far beyond the width of any line that an emitter keeps",
        "kubeadm init --config /run/kubeadm/kubeadm.yaml && echo done > /run/cluster-api/bootstrap-success.complete",
        "   indented first\nsecond\n      third deeper\n\nfourth",
    ];

    [Fact]
    public void EveryYamlFileInTheRepository_ParsesAsYamlDotNetParsesIt()
    {
        var root = RepositoryRoot();
        var files = Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".cloud-config", StringComparison.Ordinal))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/.git/", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count >= 20, $"only {files.Count} YAML files found under {root}");
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            Assert.True(YamlTree.Reference(text) == YamlTree.Of(YamlReader.ReadDocuments(text)), file);
        }
    }

    [Fact]
    public void RandomTreesInEveryStyle_ParseAsYamlDotNetParsesThem()
    {
        var random = new Random(20261122);
        var referenceRefused = 0;
        var emitterLossy = 0;
        var referenceDiffers = 0;
        const int Cases = 3000;
        for (var i = 0; i < Cases; i++)
        {
            var (yaml, expected) = Emit(random);
            if (yaml.Any(c => c < ' ' && c is not '\t' and not '\n'))
            {
                // The emitter writes some control characters raw; YAML allows them only as escapes.
                Assert.Throws<YamlSyntaxException>(() => YamlReader.ReadDocuments(yaml));
                continue;
            }

            IReadOnlyList<YamlNode> documents;
            try
            {
                documents = YamlReader.ReadDocuments(yaml);
            }
            catch (YamlSyntaxException e)
            {
                throw new Xunit.Sdk.XunitException($"case {i}: {e.Message}\n{yaml}");
            }

            // Each document must read as the generated tree, or as YamlDotNet reads it where its emitter wrote text
            // that does not hold the generated values (a raw tab right after a line break, say). Where the generated
            // values hold, YamlDotNet may still differ: it reads the plain scalar ":x" as "x", for one.
            var ours = YamlTree.Of(documents);
            var values = YamlTree.Of(documents, styles: false);
            string? reference;
            try
            {
                reference = YamlTree.Reference(yaml);
            }
            catch (Exception e) when (e is YamlException or InvalidOperationException)
            {
                reference = null;
                referenceRefused++;
            }

            if (values != expected)
            {
                Assert.True(reference == ours, $"case {i}:\n{yaml}\nours:     {ours}\nexpected: {expected}\nYamlDotNet: {reference}");
                emitterLossy++;
            }
            else if (reference is not null && reference != ours)
            {
                referenceDiffers++;
            }
        }

        output.WriteLine($"{Cases} documents: YamlDotNet refused {referenceRefused}, read {referenceDiffers} otherwise; {emitterLossy} did not hold the generated values");
        Assert.True(referenceRefused < Cases / 5, $"YamlDotNet refused {referenceRefused} of {Cases} documents");
        Assert.True(emitterLossy < Cases / 10, $"{emitterLossy} of {Cases} documents did not hold the generated values");
        Assert.True(referenceDiffers < Cases / 10, $"YamlDotNet read {referenceDiffers} of {Cases} documents otherwise");
    }

    /// <summary>A random tree written by YamlDotNet's emitter, and the tree's canonical text without styles.</summary>
    private static (string Yaml, string Expected) Emit(Random random)
    {
        var writer = new StringWriter();
        var emitter = new Emitter(writer, new EmitterSettings(
            bestIndent: random.Next(2, 5), bestWidth: random.Next(0, 3) switch { 0 => 20, 1 => 40, _ => 200 },
            isCanonical: false, maxSimpleKeyLength: 1024));
        var expected = new System.Text.StringBuilder();
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        EmitNode(emitter, random, depth: 0, expected, anchors: [], flow: false);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return (writer.ToString(), expected.ToString());
    }

    private static void EmitNode(IEmitter emitter, Random random, int depth, System.Text.StringBuilder expected, List<(string Anchor, string Text)> anchors, bool flow)
    {
        var kind = depth >= 4 ? 0 : random.Next(depth == 0 ? 1 : 0, 6);
        if (kind == 5 && anchors.Count > 0)
        {
            var (anchor, text) = anchors[random.Next(anchors.Count)];
            emitter.Emit(new AnchorAlias(anchor));
            expected.Append(text);
            return;
        }

        // Named after where the node starts in the expected text, so a nested node never redefines its parent's anchor.
        var start = expected.Length;
        var anchorName = random.Next(8) == 0 ? $"a{start}" : null;
        if (kind is 0 or 5)
        {
            EmitScalar(emitter, random, anchorName, expected);
        }
        else if (kind is 1 or 2)
        {
            var inFlow = flow || random.Next(3) == 0;
            emitter.Emit(new SequenceStart(anchorName, null, true, inFlow ? SequenceStyle.Flow : SequenceStyle.Block));
            expected.Append('[');
            for (var i = random.Next(0, 5); i > 0; i--)
            {
                EmitNode(emitter, random, depth + 1, expected, anchors, inFlow);
                expected.Append(',');
            }

            emitter.Emit(new SequenceEnd());
            expected.Append(']');
        }
        else
        {
            var inFlow = flow || random.Next(3) == 0;
            emitter.Emit(new MappingStart(anchorName, null, true, inFlow ? MappingStyle.Flow : MappingStyle.Block));
            expected.Append('{');
            var used = new HashSet<string>();
            for (var i = random.Next(0, 5); i > 0; i--)
            {
                var key = Texts[random.Next(Texts.Length)];
                if (!used.Add(key))
                {
                    continue;
                }

                EmitScalarText(emitter, random, null, key, expected);
                expected.Append(':');
                EmitNode(emitter, random, depth + 1, expected, anchors, inFlow);
                expected.Append(',');
            }

            emitter.Emit(new MappingEnd());
            expected.Append('}');
        }

        if (anchorName is not null)
        {
            anchors.Add((anchorName, expected.ToString(start, expected.Length - start)));
        }
    }

    private static void EmitScalar(IEmitter emitter, Random random, string? anchor, System.Text.StringBuilder expected) =>
        EmitScalarText(emitter, random, anchor, Texts[random.Next(Texts.Length)], expected);

    private static void EmitScalarText(IEmitter emitter, Random random, string? anchor, string text, System.Text.StringBuilder expected)
    {
        var style = (ScalarStyle)random.Next(1, 6); // Plain, SingleQuoted, DoubleQuoted, Literal, Folded
        if (style is ScalarStyle.Literal or ScalarStyle.Folded && string.IsNullOrWhiteSpace(text))
        {
            style = ScalarStyle.DoubleQuoted; // the emitter writes "\n" as ">" with clip chomping, which reads as ""
        }

        if (style == ScalarStyle.Folded && (text.StartsWith(' ') || text.Contains(" \n", StringComparison.Ordinal)))
        {
            // The emitter folds the line after a more-indented first line, which YAML keeps apart, and folds at a
            // space before a line break, which loses the space.
            style = ScalarStyle.Literal;
        }

        emitter.Emit(new Scalar(anchor, null, text, style, isPlainImplicit: true, isQuotedImplicit: true));
        YamlTree.Scalar(text, style: null, tag: null, expected);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ImmutableInfra.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ImmutableInfra.sln not found above the test's directory");
    }
}
