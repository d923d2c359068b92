using ImmutableInfra.Kubernetes.Config;
using ImmutableInfra.Kubernetes.Objects;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>
/// A Kubernetes REST client with its own HTTP handler, retries and (optional) rate limiter. Cheap to create:
/// make one per purpose (the Lease renewal gets its own, never behind a shared limiter).
/// </summary>
public sealed class KubeClient : IDisposable
{
    private readonly KubeTransport _transport;

    public KubeClient(
        KubeConnectionSettings settings,
        KubeClientOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        options ??= new KubeClientOptions();
        options.Validate();
        Settings = settings;
        _transport = new KubeTransport(
            settings,
            options,
            handler ?? KubeHttpHandlerFactory.Create(settings, options),
            timeProvider ?? TimeProvider.System,
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<KubeClient>());
    }

    public KubeConnectionSettings Settings { get; }

    /// <summary>The namespace of the kubeconfig context or service account, if any.</summary>
    public string? DefaultNamespace => Settings.Namespace;

    /// <summary>True while the token bucket is suspended because the server reports Priority and Fairness.</summary>
    public bool DeferringToServerFlowControl => _transport.DeferringToServerFlowControl;

    /// <summary>The operations of one kind (built-in from <see cref="KubeResources"/> or a CRD's descriptor).</summary>
    public ResourceClient<T> Resource<T>(ResourceDescriptor<T> descriptor)
        where T : KubeObject
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return new ResourceClient<T>(_transport, descriptor);
    }

    public void Dispose() => _transport.Dispose();
}
