using ImmutableInfra.Grpc.Tests.TestSupport;

namespace ImmutableInfra.Grpc.Tests.Framing;

public sealed class MessageFrameReaderTests
{
    private static byte[] Frames(params byte[][] payloads) =>
        payloads.SelectMany(p => MessageFrameWriter.Frame(p)).ToArray();

    private static async Task<List<byte[]>> ReadAllAsync(Stream stream, int max = 1024)
    {
        using var reader = new MessageFrameReader(stream, max, encoding: null);
        var messages = new List<byte[]>();
        while (await reader.ReadMessageAsync(CancellationToken.None) is { } message)
        {
            messages.Add(message.ToArray());
        }

        return messages;
    }

    [Fact]
    public async Task Read_MessageSplitAcrossOneByteReads_ReassemblesMessage()
    {
        var payload = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var messages = await ReadAllAsync(new ChunkedStream(Frames(payload), 1));
        Assert.Single(messages);
        Assert.Equal(payload, messages[0]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Read_FramesSplitAtArbitraryBoundaries_ReadsEveryMessage(int chunk)
    {
        var payloads = new[] { new byte[] { 1, 2, 3 }, new byte[100], new byte[] { 9 } };
        var messages = await ReadAllAsync(new ChunkedStream(Frames(payloads), chunk));
        Assert.Equal(payloads, messages);
    }

    [Fact]
    public async Task Read_SeveralMessagesInOneRead_ReturnsEachWithoutFurtherReads()
    {
        var stream = new ChunkedStream(Frames([1], [2, 2], [3, 3, 3]));
        var messages = await ReadAllAsync(stream);
        Assert.Equal(new[] { new byte[] { 1 }, [2, 2], [3, 3, 3] }, messages);
        Assert.Equal(2, stream.Reads); // one read with all the data, one that sees the end
    }

    [Fact]
    public async Task Read_ZeroLengthMessages_AreMessagesNotEndOfStream()
    {
        var messages = await ReadAllAsync(new ChunkedStream(Frames([], [], [7])));
        Assert.Equal(3, messages.Count);
        Assert.Empty(messages[0]);
        Assert.Empty(messages[1]);
        Assert.Equal(new byte[] { 7 }, messages[2]);
    }

    [Fact]
    public async Task Read_EmptyStream_ReturnsEndOfStream()
    {
        Assert.Empty(await ReadAllAsync(new ChunkedStream([])));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Read_TruncatedPrefix_ThrowsInternal(int prefixBytes)
    {
        var data = MessageFrameWriter.Frame(new byte[10]).Take(prefixBytes).ToArray();
        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(new ChunkedStream(data, 1)));
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Read_DeclaredLengthLongerThanBody_ThrowsInternal()
    {
        var data = MessageFrameWriter.Frame(new byte[10])[..12];
        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(new ChunkedStream(data)));
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Read_DeclaredLengthOverMax_ThrowsResourceExhaustedBeforeReadingBody()
    {
        var prefix = new byte[5];
        MessageFrame.WriteHeader(prefix, compressed: false, int.MaxValue);
        var stream = new ChunkedStream(prefix, 5);
        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(stream, max: 1024));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(1, stream.Reads);
    }

    [Fact]
    public async Task Read_MessageExactlyAtMax_IsAccepted()
    {
        var messages = await ReadAllAsync(new ChunkedStream(Frames(new byte[1024]), 100), max: 1024);
        Assert.Single(messages);
        Assert.Equal(1024, messages[0].Length);
    }

    [Fact]
    public async Task Read_InvalidCompressedFlag_ThrowsInternal()
    {
        var data = MessageFrameWriter.Frame(new byte[2]);
        data[0] = 2;
        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(new ChunkedStream(data)));
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Read_CompressedFlagWithoutEncoding_ThrowsInternal()
    {
        var data = MessageFrameWriter.Frame(new byte[2]);
        data[0] = 1;
        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(new ChunkedStream(data)));
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Read_LargerThanInitialBuffer_GrowsAndReads()
    {
        var payload = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();
        var messages = await ReadAllAsync(new ChunkedStream(Frames(payload, [1]), 16_384), max: 200_000);
        Assert.Equal(payload, messages[0]);
        Assert.Equal(new byte[] { 1 }, messages[1]);
    }
}
