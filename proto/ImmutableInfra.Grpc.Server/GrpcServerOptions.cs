using System.Collections.ObjectModel;
using Microsoft.Extensions.Options;

namespace ImmutableInfra.Grpc.Server;

/// <summary>Limits and endpoints of a <see cref="GrpcServer"/>; validated when the server starts.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>The endpoints to listen on (at least one).</summary>
    public Collection<GrpcEndpointOptions> Endpoints { get; } = [];

    /// <summary>Largest request message accepted; larger ones fail with RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>Largest response message sent; larger ones fail with RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxSendMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>Concurrent HTTP/2 streams (calls) per connection. Default 100.</summary>
    public int MaxConcurrentStreams { get; set; } = 100;

    /// <summary>Interval of keep-alive pings on an idle connection. Default 30 s.</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a ping may go unanswered before the connection is closed. Default 20 s.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Compression for responses when the client accepts it: null (none) or "gzip".</summary>
    public string? ResponseCompression { get; set; }

    /// <summary>Send exception messages of handlers to clients (never in production). Default false.</summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>How long a stop waits for running calls. Default 5 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock server deadlines are computed against.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every invalid setting.</summary>
    public void Validate()
    {
        var failures = new List<string>();
        if (Endpoints.Count == 0)
        {
            failures.Add("At least one endpoint is required.");
        }

        foreach (var endpoint in Endpoints)
        {
            failures.AddRange(endpoint.Validate());
        }

        if (MaxReceiveMessageSize <= 0)
        {
            failures.Add("MaxReceiveMessageSize must be positive.");
        }

        if (MaxSendMessageSize <= 0)
        {
            failures.Add("MaxSendMessageSize must be positive.");
        }

        if (MaxConcurrentStreams is <= 0 or > 10_000)
        {
            failures.Add("MaxConcurrentStreams must be between 1 and 10000.");
        }

        if (KeepAlivePingDelay <= TimeSpan.Zero || KeepAlivePingTimeout <= TimeSpan.Zero)
        {
            failures.Add("Keep-alive ping delay and timeout must be positive.");
        }

        if (ResponseCompression is not null && !MessageCompression.IsCompressing(ResponseCompression))
        {
            failures.Add($"Unsupported ResponseCompression '{ResponseCompression}'.");
        }

        if (TimeProvider is null)
        {
            failures.Add("TimeProvider is required.");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(nameof(GrpcServerOptions), typeof(GrpcServerOptions), failures);
        }
    }
}
