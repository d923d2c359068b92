using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ImmutableInfra.Grpc.Internal;

namespace ImmutableInfra.Grpc;

/// <summary>
/// A connection to one gRPC server over HTTP/2 (h2c for http://, TLS for https://). One handler
/// is shared by every call, so concurrent calls multiplex on one connection.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private readonly HttpMessageInvoker _invoker;
    private const int MaxCachedUris = 1024;

    private readonly string _baseAddress;
    private readonly ConcurrentDictionary<string, Uri> _requestUris = new(StringComparer.Ordinal);

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        Address = address;
        Options = options;
        _baseAddress = address.GetLeftPart(UriPartial.Authority);
        _invoker = new HttpMessageInvoker(CreateHandler(address, options), disposeHandler: true);
    }

    /// <summary>The server's base address.</summary>
    public Uri Address { get; }

    internal GrpcChannelOptions Options { get; }

    internal HttpMessageInvoker Invoker => _invoker;

    internal static MediaTypeHeaderValue ContentTypeValue { get; } = new(GrpcProtocol.ContentType);

    /// <summary>Creates a channel to <paramref name="address"/> (http:// or https://).</summary>
    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException("The address must be http:// (h2c) or https:// (TLS).", nameof(address));
        }

        options ??= new GrpcChannelOptions();
        options.Validate();
        return new GrpcChannel(address, options);
    }

    /// <summary>Starts a unary call.</summary>
    public AsyncUnaryCall<TResponse> UnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
    {
        var call = new GrpcCall<TRequest, TResponse>(this, method, options);
        call.StartUnary(request);
        return new AsyncUnaryCall<TResponse>(call.ReadSingleResponseAsync(), call);
    }

    /// <summary>Starts a server-streaming call.</summary>
    public AsyncServerStreamingCall<TResponse> ServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
    {
        var call = new GrpcCall<TRequest, TResponse>(this, method, options);
        call.StartUnary(request);
        return new AsyncServerStreamingCall<TResponse>(new ClientResponseStream<TRequest, TResponse>(call), call);
    }

    /// <summary>Starts a client-streaming call.</summary>
    public AsyncClientStreamingCall<TRequest, TResponse> ClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options = default)
    {
        var call = new GrpcCall<TRequest, TResponse>(this, method, options);
        var writer = call.StartStreaming();
        return new AsyncClientStreamingCall<TRequest, TResponse>(writer, call.ReadSingleResponseAsync(), call);
    }

    /// <summary>Starts a duplex-streaming call.</summary>
    public AsyncDuplexStreamingCall<TRequest, TResponse> DuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options = default)
    {
        var call = new GrpcCall<TRequest, TResponse>(this, method, options);
        var writer = call.StartStreaming();
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(writer, new ClientResponseStream<TRequest, TResponse>(call), call);
    }

    /// <inheritdoc />
    public void Dispose() => _invoker.Dispose();

    // Parsing a Uri per call is a measurable share of a small unary call; methods are few, so cache them (bounded).
    internal Uri CreateRequestUri(string fullName)
    {
        if (_requestUris.TryGetValue(fullName, out var uri))
        {
            return uri;
        }

        uri = new Uri(_baseAddress + fullName, UriKind.Absolute);
        if (_requestUris.Count < MaxCachedUris)
        {
            _requestUris.TryAdd(fullName, uri);
        }

        return uri;
    }

    private static SocketsHttpHandler CreateHandler(Uri address, GrpcChannelOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = options.ConnectTimeout,
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
        };

        if (address.Scheme == Uri.UriSchemeHttps)
        {
            handler.SslOptions = CreateSslOptions(options);
        }

        return handler;
    }

    private static SslClientAuthenticationOptions CreateSslOptions(GrpcChannelOptions options)
    {
        var ssl = new SslClientAuthenticationOptions
        {
            ApplicationProtocols = [SslApplicationProtocol.Http2],
        };

        if (options.ClientCertificate is not null)
        {
            ssl.ClientCertificates = new X509CertificateCollection { options.ClientCertificate };
        }

        if (options.TrustedCaCertificates is { } trusted)
        {
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) => CaPinning.Validate(certificate, errors, trusted);
        }

        return ssl;
    }
}
