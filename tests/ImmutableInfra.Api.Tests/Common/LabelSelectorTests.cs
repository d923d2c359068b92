using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Api.Tests.Common;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Host = new() { ["rack"] = "r1", ["disk"] = "nvme", ["zone"] = "a" };

    private static LabelSelector Expression(string key, LabelSelectorOperator op, params string[] values) =>
        new() { MatchExpressions = [new LabelSelectorRequirement { Key = key, Operator = op, Values = values.Length == 0 ? null : [.. values] }] };

    [Fact]
    public void Selector_Empty_MatchesEverything()
    {
        Assert.True(new LabelSelector().Matches(Host));
        Assert.True(new LabelSelector().Matches(null));
    }

    [Fact]
    public void MatchLabels_AllEqual_Matches_AnyDifferentOrMissing_DoesNot()
    {
        Assert.True(new LabelSelector { MatchLabels = new() { ["rack"] = "r1", ["zone"] = "a" } }.Matches(Host));
        Assert.False(new LabelSelector { MatchLabels = new() { ["rack"] = "r2" } }.Matches(Host));
        Assert.False(new LabelSelector { MatchLabels = new() { ["gpu"] = "yes" } }.Matches(Host));
    }

    [Theory]
    [InlineData("zone", LabelSelectorOperator.In, new[] { "a", "b" }, true)]
    [InlineData("zone", LabelSelectorOperator.In, new[] { "b" }, false)]
    [InlineData("gpu", LabelSelectorOperator.In, new[] { "yes" }, false)]
    [InlineData("zone", LabelSelectorOperator.NotIn, new[] { "b" }, true)]
    [InlineData("zone", LabelSelectorOperator.NotIn, new[] { "a" }, false)]
    [InlineData("gpu", LabelSelectorOperator.NotIn, new[] { "yes" }, true)]
    [InlineData("rack", LabelSelectorOperator.Exists, new string[0], true)]
    [InlineData("gpu", LabelSelectorOperator.Exists, new string[0], false)]
    [InlineData("gpu", LabelSelectorOperator.DoesNotExist, new string[0], true)]
    [InlineData("rack", LabelSelectorOperator.DoesNotExist, new string[0], false)]
    public void MatchExpressions_Operators_FollowKubernetesSemantics(string key, LabelSelectorOperator op, string[] values, bool expected)
    {
        Assert.Equal(expected, Expression(key, op, values).Matches(Host));
    }

    [Theory]
    [InlineData(LabelSelectorOperator.In, new string[0])]
    [InlineData(LabelSelectorOperator.NotIn, new string[0])]
    [InlineData(LabelSelectorOperator.Exists, new[] { "r1" })]
    [InlineData(LabelSelectorOperator.DoesNotExist, new[] { "x" })]
    public void MatchExpressions_Malformed_MatchNothing(LabelSelectorOperator op, string[] values)
    {
        Assert.False(Expression("rack", op, values).Matches(Host));
        Assert.False(Expression("missing", op, values).Matches(Host));
    }

    [Fact]
    public void MatchExpressions_WithoutKeyOrOperator_MatchNothing()
    {
        Assert.False(new LabelSelector { MatchExpressions = [new LabelSelectorRequirement { Operator = LabelSelectorOperator.Exists }] }.Matches(Host));
        Assert.False(new LabelSelector { MatchExpressions = [new LabelSelectorRequirement { Key = "rack" }] }.Matches(Host));
    }

    [Fact]
    public void LabelsAndExpressions_MustAllHold()
    {
        var selector = Expression("zone", LabelSelectorOperator.In, "a");
        selector.MatchLabels = new() { ["rack"] = "r2" };

        Assert.False(selector.Matches(Host));
    }

    [Fact]
    public void HostSelector_LabelPart_MatchesLikeALabelSelector()
    {
        var selector = new HostSelector
        {
            MatchLabels = new() { ["disk"] = "nvme" },
            MatchExpressions = [new LabelSelectorRequirement { Key = "zone", Operator = LabelSelectorOperator.NotIn, Values = ["b"] }],
            MinCpu = 64,
        };

        Assert.True(selector.ToLabelSelector().Matches(Host));
    }
}
