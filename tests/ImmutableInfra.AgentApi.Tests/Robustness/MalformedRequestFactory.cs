using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.AgentApi.Tests.Robustness;

/// <summary>How a malformed request may be answered, by what HTTP/2 lets the server do with it.</summary>
internal enum Lane
{
    /// <summary>The request is complete: it must get a gRPC status or an HTTP error status, or the server resets the stream.</summary>
    Answered,

    /// <summary>The client resets the stream mid-body: anything goes, the server must only survive it (own connections).</summary>
    ClientReset,

    /// <summary>The body never arrives: the server ends the stream, or the connection (Kestrel's data-rate guard), within its bounds.</summary>
    Stalled,
}

/// <summary>Builds malformed agent API requests of one kind per index, cycling through every kind.</summary>
internal static class MalformedRequestFactory
{
    public const string RegisterPath = "/immutableinfra.agent.v1.AgentService/Register";
    public const string SyncPath = "/immutableinfra.agent.v1.AgentService/Sync";
    public const string FetchPath = "/immutableinfra.agent.v1.AgentService/FetchBootstrapData";
    public const int KindCount = 13;

    /// <summary>One request in this many has a body that never arrives (each one holds a stream for a second or two).</summary>
    public const int StalledEvery = 500;

    public static (HttpRequestMessage Request, Lane Lane) Create(Uri server, int index, int maxMessageSize)
    {
        var kind = index % StalledEvery == StalledEvery - 1 ? KindCount : index % KindCount;
        var random = new Random(index);
        var path = random.Next(3) switch { 0 => RegisterPath, 1 => FetchPath, _ => SyncPath };
        var contentType = "application/grpc";
        byte[] body = [];
        string? encoding = null;
        string? timeout = null;
        string? authorization = null;
        var lane = Lane.Answered;
        HttpContent? content = null;

        switch (kind)
        {
            case 0: // truncated prefix
                body = RandomBytes(random, random.Next(1, 5));
                break;
            case 1: // declared length past the body
                body = [.. Prefix(0, random.Next(50, 5000)), .. RandomBytes(random, random.Next(0, 40))];
                break;
            case 2: // declared length over the limit
                body = Prefix(0, random.Next(maxMessageSize + 1, int.MaxValue));
                break;
            case 3: // wrong content type
                contentType = random.Next(3) switch { 0 => "application/json", 1 => "text/plain", _ => "application/grpc-web-text-x" };
                body = Frame([]);
                break;
            case 4: // invalid compressed flag
                body = Frame(RandomBytes(random, 8));
                body[0] = (byte)random.Next(2, 256);
                break;
            case 5: // compressed flag without grpc-encoding, or gzip flag with garbage
                body = Frame(RandomBytes(random, 16));
                body[0] = 1;
                encoding = random.Next(2) == 0 ? null : "gzip";
                break;
            case 6: // invalid protobuf (wire type 7) in a well-formed frame
                var garbage = RandomBytes(random, random.Next(1, 64));
                garbage[0] = 0x0F;
                body = Frame(garbage);
                break;
            case 7: // unknown service or method
                path = random.Next(2) == 0 ? "/no.such.Service/Method" : "/immutableinfra.agent.v1.AgentService/Nope";
                body = Frame([]);
                break;
            case 8: // unsupported grpc-encoding
                encoding = "snappy";
                body = Frame([]);
                break;
            case 9: // garbage grpc-timeout plus a truncated frame
                timeout = random.Next(3) switch { 0 => "999999999S", 1 => "-1m", _ => "abc" };
                body = [0, 0];
                break;
            case 10: // two messages for a unary method
                path = RegisterPath;
                body = [.. Frame([]), .. Frame([])];
                break;
            case 11: // well-formed calls our service refuses: a pool that does not exist, a forged or missing credential
                path = random.Next(2) == 0 ? RegisterPath : FetchPath;
                body = path == RegisterPath
                    ? Frame(new RegisterRequest { Pool = $"ns-{random.Next(1000)}/pool", RegistrationToken = "x", Identity = new HostIdentity { SystemUuid = "u" } }.ToByteArray())
                    : Frame(new FetchBootstrapDataRequest { MachineUid = "m" }.ToByteArray());
                authorization = random.Next(2) == 0 ? null : $"Bearer iih1.ns.host{random.Next(1000)}.forged";
                break;
            case 12: // the client resets the stream mid-body
                path = SyncPath;
                content = new AbortingContent([.. Prefix(0, 1000), .. RandomBytes(random, random.Next(0, 100))]);
                lane = Lane.ClientReset;
                break;
            default: // the body never arrives (headers only, the stream left open)
                content = new StallingContent(index / StalledEvery % 2 == 0 ? [] : Prefix(0, 100));
                lane = Lane.Stalled;
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
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in new[] { ("grpc-encoding", encoding), ("grpc-timeout", timeout), ("authorization", authorization) })
        {
            if (value is not null)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return (request, lane);
    }

    private static byte[] Frame(byte[] message) => [.. Prefix(0, message.Length), .. message];

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

    /// <summary>Sends a few bytes (or none) and then nothing until the request is cancelled.</summary>
    private sealed class StallingContent(byte[] partial) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(partial, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
