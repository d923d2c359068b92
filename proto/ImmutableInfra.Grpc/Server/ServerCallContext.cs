using System.Security.Cryptography.X509Certificates;

namespace ImmutableInfra.Grpc;

/// <summary>What a service handler knows about its call, and how it shapes the response headers and trailers.</summary>
public abstract class ServerCallContext
{
    /// <summary>The method path, /{package.Service}/{Method}.</summary>
    public abstract string Method { get; }

    /// <summary>The peer address, e.g. ipv4:127.0.0.1:50000.</summary>
    public abstract string Peer { get; }

    /// <summary>When the call expires; <see cref="DateTimeOffset.MaxValue"/> when the client sent no deadline.</summary>
    public abstract DateTimeOffset Deadline { get; }

    /// <summary>Cancelled when the client cancels, the connection drops or the deadline passes.</summary>
    public abstract CancellationToken CancellationToken { get; }

    /// <summary>The metadata the client sent.</summary>
    public abstract Metadata RequestHeaders { get; }

    /// <summary>Trailers to send with the status; add entries before the handler returns.</summary>
    public abstract Metadata ResponseTrailers { get; }

    /// <summary>The status to send when the handler returns normally (OK unless set).</summary>
    public abstract Status Status { get; set; }

    /// <summary>The client's TLS certificate, when it presented one.</summary>
    public abstract X509Certificate2? ClientCertificate { get; }

    /// <summary>Sends the response headers now, with <paramref name="responseHeaders"/>; at most once, before the first message.</summary>
    public abstract Task WriteResponseHeadersAsync(Metadata responseHeaders);
}
