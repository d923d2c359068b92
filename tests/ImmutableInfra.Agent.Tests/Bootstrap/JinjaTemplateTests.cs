using ImmutableInfra.Agent.Bootstrap;
using ImmutableInfra.Agent.Bootstrap.CloudConfig;

namespace ImmutableInfra.Agent.Tests.Bootstrap;

public sealed class JinjaTemplateTests
{
    private static readonly Dictionary<string, string> Variables = new()
    {
        ["ds.meta_data.local_hostname"] = "node-1",
        ["v1.local-ipv4"] = "198.18.0.10",
    };

    [Theory]
    [InlineData("name: {{ ds.meta_data.local_hostname }}", "name: node-1")]
    [InlineData("{{ds.meta_data.local_hostname}}/{{\tv1.local-ipv4\n}}", "node-1/198.18.0.10")]
    [InlineData("{{{ v1.local-ipv4 }}}", "{198.18.0.10}")]
    [InlineData("{{ unknown }} {{ not a name }} {{}} {{ v1.local-ipv4 }", "{{ unknown }} {{ not a name }} {{}} {{ v1.local-ipv4 }")]
    [InlineData("no variables", "no variables")]
    public void Render_SubstitutesKnownNamesAndLeavesTheRest(string text, string expected) =>
        Assert.Equal(expected, JinjaTemplate.Render(text, Variables));

    [Fact]
    public void Render_WithTheJinjaHeader_DropsItAndRefusesUnknownNames()
    {
        Assert.Equal("host: node-1\n", JinjaTemplate.Render(JinjaTemplate.Header + "\nhost: {{ ds.meta_data.local_hostname }}\n", Variables));
        var e = Assert.Throws<BootstrapParseException>(() => JinjaTemplate.Render(JinjaTemplate.Header + "\nx: {{ ds.meta_data.nope }}\n", Variables));
        Assert.Contains("'ds.meta_data.nope'", e.Message, StringComparison.Ordinal);
    }
}
