using System.Security.Cryptography.X509Certificates;

namespace ImmutableInfra.Grpc;

/// <summary>How a <see cref="GrpcChannel"/> connects and what it bounds.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>Largest message accepted from the server; larger ones fail with RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>Largest message this client sends; larger ones fail with RESOURCE_EXHAUSTED before sending. Default 4 MiB.</summary>
    public int MaxSendMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>The CA certificates that may sign the server's certificate (pinned; the system store is not used). Null: system trust.</summary>
    public X509Certificate2Collection? TrustedCaCertificates { get; set; }

    /// <summary>A client certificate (with private key) presented when the server asks for one.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>Compression of request messages: null (none) or "gzip".</summary>
    public string? SendCompression { get; set; }

    /// <summary>The clock deadlines are computed against.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Whether deadlines are enforced locally as well as sent to the server. Default true.</summary>
    public bool EnforceDeadlinesLocally { get; set; } = true;

    /// <summary>Bound on establishing a connection (TCP and TLS). Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Interval of HTTP/2 keep-alive pings on an idle connection. Default 60 s.</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a keep-alive ping may go unanswered before the connection is closed. Default 20 s.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxReceiveMessageSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxSendMessageSize);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (SendCompression is not null && !MessageCompression.IsCompressing(SendCompression))
        {
            throw new ArgumentException($"Unsupported send compression '{SendCompression}'.", nameof(SendCompression));
        }
    }
}
