namespace ImmutableInfra.Grpc.Tests;

public sealed class GrpcStatusMessageTests
{
    [Theory]
    [InlineData("plain ascii stays", "plain ascii stays")]
    [InlineData("100%", "100%25")]
    [InlineData("line\nbreak", "line%0Abreak")]
    [InlineData("h\u00e9", "h%C3%A9")]
    [InlineData("\u65e5\u672c", "%E6%97%A5%E6%9C%AC")]
    public void Encode_UsesPercentEncodingOfUtf8(string detail, string expected)
    {
        Assert.Equal(expected, GrpcStatusMessage.Encode(detail));
    }

    [Theory]
    [InlineData("")]
    [InlineData("simple")]
    [InlineData("percent % sign and %25 literal")]
    [InlineData("non-ASCII: caf\u00e9, \u65e5\u672c\u8a9e, emoji \U0001F680, tab\t, del\u007f")]
    public void EncodeThenDecode_RoundTrips(string detail)
    {
        var encoded = GrpcStatusMessage.Encode(detail);
        Assert.All(encoded, c => Assert.InRange(c, (char)0x20, (char)0x7E));
        Assert.Equal(detail, GrpcStatusMessage.Decode(encoded));
    }

    [Theory]
    [InlineData("%", "%")]
    [InlineData("%4", "%4")]
    [InlineData("%zz!", "%zz!")]
    [InlineData("ok%2", "ok%2")]
    [InlineData("%41%42", "AB")]
    public void Decode_MalformedSequences_AreKeptLiterally(string value, string expected)
    {
        Assert.Equal(expected, GrpcStatusMessage.Decode(value));
    }
}
