namespace ImmutableInfra.Grpc.Tests.Compression;

public sealed class MessageCompressionTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("identity", true)]
    [InlineData("gzip", true)]
    [InlineData("GZIP", true)]
    [InlineData("deflate", false)]
    [InlineData("snappy", false)]
    public void IsSupported_KnowsIdentityAndGzipOnly(string? encoding, bool expected)
    {
        Assert.Equal(expected, MessageCompression.IsSupported(encoding));
    }

    [Theory]
    [InlineData("identity,gzip", true)]
    [InlineData("identity, deflate, gzip", true)]
    [InlineData("identity", false)]
    [InlineData(null, false)]
    public void Accepts_ParsesCommaSeparatedList(string? accept, bool expected)
    {
        Assert.Equal(expected, MessageCompression.Accepts(accept, "gzip"));
    }

    [Fact]
    public void Decompress_InvalidGzip_ThrowsInternal()
    {
        byte[]? buffer = null;
        var ex = Assert.Throws<RpcException>(() => MessageCompression.Decompress("gzip", new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 100, ref buffer));
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }
}
