namespace ImmutableInfra.Grpc.Tests;

public sealed class MetadataTests
{
    [Fact]
    public void BinaryEntry_WireValue_IsUnpaddedBase64()
    {
        var entry = new MetadataEntry("trace-bin", new byte[] { 1, 2, 3, 4 });
        Assert.Equal("AQIDBA", entry.ToWireValue());
    }

    [Theory]
    [InlineData("AQIDBA")]
    [InlineData("AQIDBA==")]
    public void FromWire_BinaryWithOrWithoutPadding_DecodesBytes(string wire)
    {
        var entry = MetadataEntry.FromWire("trace-bin", wire);
        Assert.True(entry.IsBinary);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, entry.ValueBytes);
    }

    [Fact]
    public void FromWire_CommaJoinedBinaryValues_DecodesEach()
    {
        var entry = MetadataEntry.FromWire("x-bin", "AQ, Ag==");
        Assert.Equal(new byte[] { 1, 2 }, entry.ValueBytes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(255)]
    public void BinaryEntry_RoundTripsEveryLength(int length)
    {
        var bytes = Enumerable.Range(0, length).Select(i => (byte)(255 - i)).ToArray();
        var wire = new MetadataEntry("k-bin", bytes).ToWireValue();
        Assert.DoesNotContain('=', wire);
        Assert.Equal(bytes, MetadataEntry.FromWire("k-bin", wire).ValueBytes);
    }

    [Fact]
    public void FromWire_InvalidBase64_Throws()
    {
        Assert.Throws<FormatException>(() => MetadataEntry.FromWire("x-bin", "A"));
        Assert.Throws<FormatException>(() => MetadataEntry.FromWire("x-bin", "@@@@"));
    }

    [Fact]
    public void Add_UpperCaseKey_IsLowerCased()
    {
        var metadata = new Metadata().Add("X-Custom", "v");
        Assert.Equal("x-custom", metadata[0].Key);
        Assert.Equal("v", metadata.GetValue("X-CUSTOM"));
    }

    [Theory]
    [InlineData("grpc-status")]
    [InlineData("content-type")]
    [InlineData("bad key")]
    [InlineData("bad:key")]
    [InlineData("")]
    public void Add_InvalidOrReservedKey_Throws(string key)
    {
        Assert.ThrowsAny<ArgumentException>(() => new Metadata().Add(key, "v"));
    }

    [Fact]
    public void Add_StringValueForBinKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Metadata().Add("x-bin", "text"));
        Assert.Throws<ArgumentException>(() => new Metadata().Add("x-text", new byte[] { 1 }));
    }

    [Fact]
    public void Add_NonPrintableAsciiValue_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Metadata().Add("x-a", "line\nbreak"));
        Assert.Throws<ArgumentException>(() => new Metadata().Add("x-a", "caf\u00e9"));
    }
}
