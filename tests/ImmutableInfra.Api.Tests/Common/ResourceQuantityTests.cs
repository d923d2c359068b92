using System.Text.Json;
using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Api.Tests.Common;

public sealed class ResourceQuantityTests
{
    [Theory]
    [InlineData("64Gi", 64L << 30)]
    [InlineData("1Ki", 1024L)]
    [InlineData("2Ti", 2L << 40)]
    [InlineData("500G", 500_000_000_000L)]
    [InlineData("1k", 1000L)]
    [InlineData("1.5k", 1500L)]
    [InlineData("0.5Gi", 1L << 29)]
    [InlineData("68719476736", 68719476736L)]
    [InlineData("1e9", 1_000_000_000L)]
    [InlineData("1E", 1_000_000_000_000_000_000L)]
    [InlineData("1m", 1L)]
    [InlineData("+3", 3L)]
    [InlineData("-1500m", -2L)]
    public void TryToInt64_ParsesKubernetesQuantities_RoundingUp(string text, long expected)
    {
        Assert.True(new ResourceQuantity(text).TryToInt64(out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Gi")]
    [InlineData("64 Gi")]
    [InlineData("64GB")]
    [InlineData("1.2.3")]
    [InlineData("1e")]
    [InlineData("16Ei")]
    [InlineData("1e30")]
    public void TryToInt64_RejectsWhatIsNotAnInt64Quantity(string text)
    {
        Assert.False(new ResourceQuantity(text).TryToInt64(out _));
    }

    [Fact]
    public void Json_ReadsNumbersAndStrings_WritesStrings()
    {
        var selector = JsonSerializer.Deserialize("""{"minMemory":68719476736,"minDiskSize":"500Gi"}""", ApiJsonContext.Default.GetTypeInfo(typeof(HostSelector))!) as HostSelector;

        Assert.Equal("68719476736", selector!.MinMemory!.Value.Value);
        Assert.Equal("500Gi", selector.MinDiskSize!.Value.Value);
        Assert.Contains("\"minMemory\":\"68719476736\"", JsonSerializer.Serialize(selector, ApiJsonContext.Default.GetTypeInfo(typeof(HostSelector))!), StringComparison.Ordinal);
    }
}
