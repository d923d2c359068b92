using System.Security.Cryptography.X509Certificates;

namespace ImmutableInfra.Grpc.Server.Internal;

/// <summary>The <see cref="ServerCallContext"/> of a call hosted on Kestrel.</summary>
internal sealed class KestrelServerCallContext(KestrelServerCall call) : ServerCallContext
{
    private Metadata? _requestHeaders;
    private Metadata? _responseTrailers;

    public override string Method => call.Method.FullName;

    public override string Peer => call.Peer;

    public override DateTimeOffset Deadline => call.Deadline;

    public override CancellationToken CancellationToken => call.CancellationToken;

    public override Metadata RequestHeaders => _requestHeaders ??= call.ReadRequestHeaders();

    public override Metadata ResponseTrailers => _responseTrailers ??= new Metadata();

    public bool HasResponseTrailers => _responseTrailers is { Count: > 0 };

    public override Status Status { get; set; } = Status.DefaultSuccess;

    public override X509Certificate2? ClientCertificate => call.ClientCertificate;

    public override Task WriteResponseHeadersAsync(Metadata responseHeaders) => call.WriteResponseHeadersAsync(responseHeaders);
}
