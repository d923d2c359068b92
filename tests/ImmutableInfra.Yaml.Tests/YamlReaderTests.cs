namespace ImmutableInfra.Yaml.Tests;

/// <summary>Forms YamlDotNet's emitter never writes (comments, chomping, compact nesting, documents), and errors.</summary>
public sealed class YamlReaderTests
{
    private static string Read(string yaml) => YamlTree.Of(YamlReader.ReadDocuments(yaml), styles: false);

    private static YamlSyntaxException Refused(string yaml) => Assert.Throws<YamlSyntaxException>(() => YamlReader.ReadDocuments(yaml));

    [Theory]
    [InlineData("a: 1 # comment\n# line\nb: two words  \n", "{\"a\":\"1\",\"b\":\"two words\",}")]
    [InlineData("a:\n- x\n- y\nb: z\n", "{\"a\":[\"x\",\"y\",],\"b\":\"z\",}")]
    [InlineData("- - a\n  - b\n- c: 1\n  d: 2\n-\n", "[[\"a\",\"b\",],{\"c\":\"1\",\"d\":\"2\",},\"\",]")]
    [InlineData("a: multi\n  line\n\n  plain\nb: x#not-a-comment\n", "{\"a\":\"multi line\\nplain\",\"b\":\"x#not-a-comment\",}")]
    [InlineData("url: http://h:6443/x\n", "{\"url\":\"http://h:6443/x\",}")]
    [InlineData("k: [a, {b: c}, 'd', \"e\"]\nm: {x: 1, y}\n", "{\"k\":[\"a\",{\"b\":\"c\",},\"d\",\"e\",],\"m\":{\"x\":\"1\",\"y\":\"\",},}")]
    [InlineData("k: [a,\n  b: c,\n  d]\n", "{\"k\":[\"a\",{\"b\":\"c\",},\"d\",],}")]
    [InlineData("s: 'it''s'\nd: \"tab\\tnl\\nu\\u00e9\\x41\"\n", "{\"s\":\"it's\",\"d\":\"tab\\tnl\\nuéA\",}")]
    [InlineData("d: \"fold\n   ed\n\n   twice\"\ne: \"join\\\n   ed\"\n", "{\"d\":\"fold ed\\ntwice\",\"e\":\"joined\",}")]
    [InlineData("a: &x [1]\nb: *x\n", "{\"a\":[\"1\",],\"b\":[\"1\",],}")]
    [InlineData("a: &x 1\nb: &x 2\nc: *x\n", "{\"a\":\"1\",\"b\":\"2\",\"c\":\"2\",}")]
    [InlineData("? a\n: 1\n? b\n", "{\"a\":\"1\",\"b\":\"\",}")]
    [InlineData("line sep: a\u2028b\n", "{\"line sep\":\"a\u2028b\",}")]
    [InlineData("\uFEFFa: 1\r\nb: |\r\n  x\r\n  y\r\n", "{\"a\":\"1\",\"b\":\"x\\ny\\n\",}")]
    public void Reads(string yaml, string expected) => Assert.Equal(expected, Read(yaml));

    [Theory]
    [InlineData("|\n a\n  b\n\n c\n\n\n", "a\\n b\\n\\nc\\n")]
    [InlineData("|-\n a\n\n", "a")]
    [InlineData("|+\n a\n\n", "a\\n\\n")]
    [InlineData(">\n a\n b\n\n c\n   d\n e\n", "a b\\nc\\n  d\\ne\\n")]
    [InlineData(">-\n\n a\n", "\\na")]
    [InlineData("|2\n   x\n  y\n", " x\\ny\\n")]
    [InlineData("- |1-\n   x\n", "[\"  x\",]")]
    [InlineData("k: |\n    deep\n  less\n", "ERROR")]
    public void BlockScalars(string yaml, string expected)
    {
        if (expected == "ERROR")
        {
            Refused(yaml);
            return;
        }

        var text = Read(yaml);
        Assert.Equal(expected.StartsWith('[') ? expected : $"\"{expected}\"", text);
    }

    [Fact]
    public void Documents_DirectivesMarkersAndTags()
    {
        var documents = YamlReader.ReadDocuments("%YAML 1.2\n%TAG !k! tag:k8s.io,2024:\n--- !k!pod\nname: a\n...\n# between\n--- !!str 7\n---\n");
        Assert.Equal(3, documents.Count);
        Assert.Equal("tag:k8s.io,2024:pod", documents[0].Tag);
        Assert.Equal("tag:yaml.org,2002:str", documents[1].Tag);
        Assert.Equal("7", ((YamlScalar)documents[1]).Value);
        Assert.True(((YamlScalar)documents[2]).IsNull);
        Assert.Empty(YamlReader.ReadDocuments("# only a comment\n"));
        Assert.Null(YamlReader.ReadFirstDocument(""));
    }

    [Fact]
    public void Nodes_KnowWhereTheyStartAndHowTheyWereWritten()
    {
        var root = (YamlMapping)YamlReader.ReadFirstDocument("a: 1\nlist:\n  - \"q\"\n  - null\n")!;
        Assert.True(root.TryGetValue("list", out var list));
        var items = ((YamlSequence)list).Items;
        Assert.Equal((3, 5), (items[0].Line, items[0].Column));
        Assert.Equal(YamlScalarStyle.DoubleQuoted, ((YamlScalar)items[0]).Style);
        Assert.True(((YamlScalar)items[1]).IsNull);
        Assert.False(root.ContainsKey("missing"));
        Assert.Equal(["a", "list"], root.Entries.Select(e => e.Key.Value));
    }

    [Theory]
    [InlineData("a: 1\nb: [x, y\n", 2, 4, "never closed")]
    [InlineData("a: b: c\n", 1, 4, "mapping cannot start on the line")]
    [InlineData("a: 1\n  b: 2\n", 2, 3, "continues a plain scalar")]
    [InlineData("a: \"x\"\n  b: 2\n", 2, 3, "bad indentation")]
    [InlineData("a: 1\na: 2\n", 2, 1, "duplicate mapping key 'a'")]
    [InlineData("a:\n\tb: 1\n", 2, 2, "tab")]
    [InlineData("a: 1\nnot a pair\n", 2, 1, "no ':' follows")]
    [InlineData("a: - x\n", 1, 4, "block sequence cannot start")]
    [InlineData("a: *nope\n", 1, 4, "no anchor")]
    [InlineData("a: &x [*x]\n", 1, 8, "inside the node")]
    [InlineData("b: &y 1\na: &x\n  *y\n", 3, 3, "alias cannot have an anchor")]
    [InlineData("? 'a'\n  : b\n", 2, 3, "at the key's indentation")]
    [InlineData("a: \"\\q\"\n", 1, 5, "unknown escape")]
    [InlineData("a: \"open\n", 1, 4, "never closed")]
    [InlineData("a: @x\n", 1, 4, "cannot start a plain scalar")]
    [InlineData("a: \u0001\n", 1, 4, "U+0001")]
    [InlineData("[a, b]: c\n", 1, 7, "flow collection cannot be a mapping key")]
    [InlineData("%YAML 2.0\n---\na\n", 1, 1, "not supported")]
    [InlineData("%YAML 1.2\na: 1\n", 2, 1, "followed by a '---'")]
    [InlineData("a: !e!x 1\n", 1, 4, "not declared")]
    [InlineData("- a\n  b: c\n", 2, 3, "continues a plain scalar")]
    public void Refuses_NamingLineColumnAndProblem(string yaml, int line, int column, string problem)
    {
        var e = Refused(yaml);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.StartsWith($"line {line}, column {column}: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_NestingDeeperThanTheBound_InsteadOfOverflowingTheStack()
    {
        Assert.Equal(YamlReader.MaxDepth, Depth(YamlReader.ReadFirstDocument(new string('[', YamlReader.MaxDepth) + new string(']', YamlReader.MaxDepth))!));
        Assert.Contains("deeper than", Refused(new string('[', 100_000)).Problem, StringComparison.Ordinal);
        var block = string.Concat(Enumerable.Range(0, YamlReader.MaxDepth + 1).Select(i => new string(' ', i) + "k:\n"));
        Assert.Contains("deeper than", Refused(block).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Aliases_AreTheAnchoredNodeItself_SoNestedAliasesCostNoMemory()
    {
        // The "billion laughs" shape: each level aliases the previous one ten times.
        var yaml = "l0: &l0 [x]\n" + string.Concat(Enumerable.Range(1, 9).Select(i => $"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]\n"));
        var root = (YamlMapping)YamlReader.ReadFirstDocument(yaml)!;
        Assert.True(root.TryGetValue("l9", out var top));
        Assert.Same(((YamlSequence)top).Items[0], ((YamlSequence)top).Items[9]);
    }

    private static int Depth(YamlNode node) => node is YamlSequence { Items: [var inner] } ? 1 + Depth(inner) : node is YamlSequence ? 1 : 0;
}
