using ImmutableInfra.Dashboard.Queries;

namespace ImmutableInfra.Dashboard.Tests.Queries;

public sealed class LabelSelectorTextTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["rack"] = "a", ["tier"] = "db", ["example.com/gpu"] = "yes" };

    [Theory]
    [InlineData("rack=a", true)]
    [InlineData("rack==a", true)]
    [InlineData("rack=b", false)]
    [InlineData("rack!=b", true)]
    [InlineData("rack in (a, b)", true)]
    [InlineData("rack notin (a,b)", false)]
    [InlineData("example.com/gpu", true)]
    [InlineData("!spare", true)]
    [InlineData("!rack", false)]
    [InlineData("rack=a, tier in (db,web), !spare", true)]
    [InlineData("rack=a,tier=web", false)]
    [InlineData("", true)]
    public void Parse_KubectlSyntax_MatchesAsKubectlWould(string selector, bool matches) =>
        Assert.Equal(matches, LabelSelectorText.Parse(selector).Matches(Labels));

    [Theory]
    [InlineData("rack in ()")]
    [InlineData("rack=a=b")]
    [InlineData("-bad")]
    [InlineData("rack in (a")]
    public void Parse_Malformed_NamesTheTerm(string selector)
    {
        var e = Assert.Throws<FormatException>(() => LabelSelectorText.Parse(selector));
        Assert.Contains("label selector term", e.Message, StringComparison.Ordinal);
    }
}
