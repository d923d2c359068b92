namespace ImmutableInfra.Grpc.Tests;

public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("3S", 30_000_000L)]
    [InlineData("4m", 40_000L)]
    [InlineData("5u", 50L)]
    [InlineData("500n", 5L)]
    [InlineData("99999999n", 999_999L)]
    [InlineData("0S", 0L)]
    [InlineData("00000001S", 10_000_000L)]
    public void TryParse_EveryUnit_ReturnsTimeout(string value, long expectedTicks)
    {
        Assert.True(GrpcTimeout.TryParse(value, out var timeout));
        Assert.Equal(expectedTicks, timeout.Ticks);
    }

    [Fact]
    public void TryParse_EightDigitHours_DoesNotOverflow()
    {
        Assert.True(GrpcTimeout.TryParse("99999999H", out var timeout));
        Assert.Equal(TimeSpan.FromHours(99_999_999), timeout);
    }

    [Theory]
    [InlineData("123456789S")] // nine digits
    [InlineData("999999999999999999999H")]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("10")]
    [InlineData("10s")]
    [InlineData("10h")]
    [InlineData("-1S")]
    [InlineData("+1S")]
    [InlineData("1.5S")]
    [InlineData(" 1S")]
    [InlineData("1S ")]
    [InlineData("1 S")]
    [InlineData("ten S")]
    [InlineData("1\u0661S")]
    [InlineData(null)]
    public void TryParse_Garbage_ReturnsFalse(string? value)
    {
        Assert.False(GrpcTimeout.TryParse(value, out _));
    }

    [Theory]
    [InlineData(1L, "100n")]
    [InlineData(10_000L, "1000000n")]
    [InlineData(10_000_000L, "1000000u")]
    [InlineData(36_000_000_000L, "3600000m")]
    [InlineData(864_000_000_000L, "86400000m")]
    [InlineData(8_640_000_000_000L, "864000S")]
    public void Format_PicksFinestUnitWithinEightDigits(long ticks, string expected)
    {
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromTicks(ticks)));
    }

    [Fact]
    public void Format_HugeTimeout_ClampsToMaximum()
    {
        Assert.Equal("99999999H", GrpcTimeout.Format(TimeSpan.MaxValue));
    }

    [Fact]
    public void Format_ZeroOrNegative_IsOneNanosecond()
    {
        Assert.Equal("1n", GrpcTimeout.Format(TimeSpan.Zero));
        Assert.Equal("1n", GrpcTimeout.Format(TimeSpan.FromSeconds(-5)));
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(12_345L)]
    [InlineData(98_765_432_100L)]
    [InlineData(9_000_000_000_000L)]
    public void FormatThenParse_NeverShortensTheTimeout(long ticks)
    {
        var original = TimeSpan.FromTicks(ticks);
        var value = GrpcTimeout.Format(original);
        Assert.True(value.Length <= 9);
        Assert.True(GrpcTimeout.TryParse(value, out var parsed));
        Assert.True(parsed >= original);
    }
}
