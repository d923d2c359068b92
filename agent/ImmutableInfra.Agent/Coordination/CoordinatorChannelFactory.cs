using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using ImmutableInfra.Agent.Configuration;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>
/// Builds the one channel to the coordinator: TLS trusting only the CA bundle from caFile (the system
/// store when no caFile is set), with this host's client certificate when one is configured, or
/// plaintext h2c when — and only when — the config says insecure.
/// </summary>
internal static class CoordinatorChannelFactory
{
    public static GrpcChannel Create(AgentOptions options, CoordinationOptions coordination)
    {
        var url = options.CoordinatorUrl;
        if (url.Scheme == Uri.UriSchemeHttp && !options.Insecure)
        {
            throw new InvalidOperationException($"coordinatorUrl {url} is plaintext but insecure is not set.");
        }

        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = coordination.ConnectTimeout,
            // The Sync stream lives for days: pings notice a peer that vanished without a FIN.
            KeepAlivePingDelay = coordination.KeepAlivePingDelay,
            KeepAlivePingTimeout = coordination.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
        };
        if (url.Scheme == Uri.UriSchemeHttps)
        {
            handler.SslOptions = SslOptions(options);
        }

        return GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = coordination.MaxReceiveMessageBytes,
            MaxSendMessageSize = coordination.MaxSendMessageBytes,
            // Retries are the link's own (backoff with jitter, see ReconnectBackoff); none inside the channel.
            MaxRetryAttempts = 0,
        });
    }

    private static SslClientAuthenticationOptions SslOptions(AgentOptions options)
    {
        var ssl = new SslClientAuthenticationOptions { ApplicationProtocols = [SslApplicationProtocol.Http2] };
        if (options.ClientCertificateFile is { } certificateFile)
        {
            ssl.ClientCertificates = [LoadClientCertificate(certificateFile, options.ClientKeyFile ?? certificateFile)];
        }

        if (options.CaFile is { } caFile)
        {
            var trusted = LoadCaBundle(caFile);
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) => CaPinning.Validate(certificate, errors, trusted);
        }

        return ssl;
    }

    private static X509Certificate2 LoadClientCertificate(string certificateFile, string keyFile)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            // An ephemeral PEM key cannot be used by SslStream on every platform; a PKCS#12 round trip can.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"clientCertificateFile {certificateFile} / clientKeyFile {keyFile} is not a PEM certificate with its key: {e.Message}", e);
        }
    }

    private static X509Certificate2Collection LoadCaBundle(string path)
    {
        var bundle = new X509Certificate2Collection();
        try
        {
            bundle.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"caFile {path} is not a PEM certificate bundle: {e.Message}", e);
        }

        if (bundle.Count == 0)
        {
            throw new InvalidOperationException($"caFile {path} holds no certificate.");
        }

        return bundle;
    }
}
