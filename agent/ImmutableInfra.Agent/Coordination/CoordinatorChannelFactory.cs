using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Grpc;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>
/// Builds the one channel to the coordinator: TLS trusting only the CA bundle from caFile (the system
/// store when no caFile is set), or plaintext h2c when — and only when — the config says insecure.
/// </summary>
internal static class CoordinatorChannelFactory
{
    public static GrpcChannel Create(AgentOptions options, CoordinationOptions coordination, TimeProvider timeProvider)
    {
        var url = options.CoordinatorUrl;
        if (url.Scheme == Uri.UriSchemeHttp && !options.Insecure)
        {
            throw new InvalidOperationException($"coordinatorUrl {url} is plaintext but insecure is not set.");
        }

        var channelOptions = new GrpcChannelOptions
        {
            MaxReceiveMessageSize = coordination.MaxReceiveMessageBytes,
            MaxSendMessageSize = coordination.MaxSendMessageBytes,
            TimeProvider = timeProvider,
        };
        if (url.Scheme == Uri.UriSchemeHttps && options.CaFile is { } caFile)
        {
            channelOptions.TrustedCaCertificates = LoadCaBundle(caFile);
        }

        return GrpcChannel.ForAddress(url, channelOptions);
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
