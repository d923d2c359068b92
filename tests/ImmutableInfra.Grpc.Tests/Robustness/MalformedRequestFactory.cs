using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace ImmutableInfra.Grpc.Tests.Robustness;

/// <summary>Builds malformed gRPC requests of one kind per index, cycling through every kind.</summary>
internal static class MalformedRequestFactory
{
    public const string UnaryPath = "/immutableinfra.test.v1.EchoService/Unary";
    public const string DuplexPath = "/immutableinfra.test.v1.EchoService/Duplex";
    public const int KindCount = 12;

    public static (HttpRequestMessage Request, bool ExpectReset) Create(Uri server, int index, int maxMessageSize)
    {
        var kind = index % KindCount;
        var random = new Random(index);
        var path = UnaryPath;
        var contentType = "application/grpc";
        byte[] body;
        string? encoding = null;
        string? timeout = null;
        var expectReset = false;
        HttpContent? content = null;

        switch (kind)
        {
            case 0: // truncated prefix
                body = RandomBytes(random, random.Next(1, 5));
                break;
            case 1: // declared length larger than the body
                body = Prefix(0, random.Next(50, 5000)).Concat(RandomBytes(random, random.Next(0, 40))).ToArray();
                break;
            case 2: // declared length over the limit
                body = Prefix(0, random.Next(maxMessageSize + 1, int.MaxValue));
                break;
            case 3: // wrong content type
                contentType = random.Next(3) switch { 0 => "application/json", 1 => "text/plain", _ => "application/grpc-web-text-x" };
                body = MessageFrameWriter.Frame([]);
                break;
            case 4: // invalid compressed flag
                body = MessageFrameWriter.Frame(RandomBytes(random, 8));
                body[0] = (byte)random.Next(2, 256);
                break;
            case 5: // compressed flag without grpc-encoding, or gzip flag with garbage
                body = MessageFrameWriter.Frame(RandomBytes(random, 16));
                body[0] = 1;
                encoding = random.Next(2) == 0 ? null : "gzip";
                break;
            case 6: // invalid protobuf (wire type 7) in a well-formed frame
                var garbage = RandomBytes(random, random.Next(1, 64));
                garbage[0] = 0x0F;
                body = MessageFrameWriter.Frame(garbage);
                break;
            case 7: // unknown service or method
                path = random.Next(2) == 0 ? "/no.such.Service/Method" : "/immutableinfra.test.v1.EchoService/Nope";
                body = MessageFrameWriter.Frame([]);
                break;
            case 8: // unsupported grpc-encoding
                encoding = "snappy";
                body = MessageFrameWriter.Frame([]);
                break;
            case 9: // garbage grpc-timeout plus a truncated frame
                timeout = random.Next(3) switch { 0 => "999999999S", 1 => "-1m", _ => "abc" };
                body = [0, 0];
                break;
            case 10: // two messages for a unary method
                body = MessageFrameWriter.Frame([]).Concat(MessageFrameWriter.Frame([])).ToArray();
                break;
            default: // abrupt reset mid-body on a duplex stream
                path = DuplexPath;
                body = [];
                content = new AbortingContent(Prefix(0, 1000).Concat(RandomBytes(random, random.Next(0, 100))).ToArray());
                expectReset = true;
                break;
        }

        content ??= new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }

        if (timeout is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-timeout", timeout);
        }

        return (request, expectReset);
    }

    private static byte[] Prefix(byte flag, int length)
    {
        var prefix = new byte[5];
        prefix[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), (uint)length);
        return prefix;
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Sends part of a frame, then fails, so HttpClient resets the stream mid-body.</summary>
    private sealed class AbortingContent(byte[] partial) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(partial);
            await stream.FlushAsync();
            throw new IOException("abort mid-body (test)");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
