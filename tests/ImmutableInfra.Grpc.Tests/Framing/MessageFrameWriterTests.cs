using Google.Protobuf;
using ImmutableInfra.Grpc.Tests.V1;

namespace ImmutableInfra.Grpc.Tests.Framing;

public sealed class MessageFrameWriterTests
{
    private static readonly Marshaller<EchoRequest> Marshaller = ProtobufMarshaller.Create(EchoRequest.Parser);

    [Fact]
    public void Frame_Message_WritesBigEndianLengthPrefix()
    {
        var message = new EchoRequest { Payload = ByteString.CopyFrom(new byte[300]) };
        using var frame = MessageFrameWriter.Frame(message, Marshaller, 1024, compression: null);
        var bytes = frame.Memory.ToArray();
        Assert.Equal(0, bytes[0]);
        Assert.Equal(message.CalculateSize(), (bytes[1] << 24) | (bytes[2] << 16) | (bytes[3] << 8) | bytes[4]);
        Assert.Equal(message, EchoRequest.Parser.ParseFrom(bytes[5..]));
    }

    [Fact]
    public void Frame_OverMaxSendSize_ThrowsResourceExhausted()
    {
        var message = new EchoRequest { Payload = ByteString.CopyFrom(new byte[2000]) };
        var ex = Assert.Throws<RpcException>(() => MessageFrameWriter.Frame(message, Marshaller, 1024, compression: null));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Frame_Gzip_RoundTripsThroughReader()
    {
        var message = new EchoRequest { Text = new string('a', 5000) };
        using var frame = MessageFrameWriter.Frame(message, Marshaller, 10_000, MessageCompression.Gzip);
        var bytes = frame.Memory.ToArray();
        Assert.Equal(1, bytes[0]);
        Assert.True(bytes.Length < 1000);
        using var reader = new MessageFrameReader(new MemoryStream(bytes), 10_000, MessageCompression.Gzip);
        var payload = await reader.ReadMessageAsync(CancellationToken.None);
        Assert.Equal(message, EchoRequest.Parser.ParseFrom(payload!.Value.Span));
    }

    [Fact]
    public async Task Read_GzipBombOverMax_ThrowsResourceExhausted()
    {
        var message = new EchoRequest { Text = new string('a', 100_000) };
        using var frame = MessageFrameWriter.Frame(message, Marshaller, 200_000, MessageCompression.Gzip);
        using var reader = new MessageFrameReader(new MemoryStream(frame.Memory.ToArray()), 10_000, MessageCompression.Gzip);
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadMessageAsync(CancellationToken.None));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }
}
