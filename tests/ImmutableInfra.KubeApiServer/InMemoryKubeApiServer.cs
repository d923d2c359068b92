using System.Text.Json.Nodes;
using ImmutableInfra.KubeApiServer.Crds;
using ImmutableInfra.KubeApiServer.Http;
using ImmutableInfra.KubeApiServer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImmutableInfra.KubeApiServer;

/// <summary>
/// An in-memory Kubernetes API server for tests, the lab and benchmarks, faithful to the real one for the clients
/// that use it (README.md lists what it does and does not do). A test and lab server: it runs no pods and no
/// controllers, nothing persists, there is no RBAC or admission webhooks. NOT for production.
/// </summary>
public sealed class InMemoryKubeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ObjectStore _store;
    private readonly ITimer _bookmarks;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2? _certificate;

    private InMemoryKubeApiServer(WebApplication app, ObjectStore store, ITimer bookmarks, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate, InMemoryFaults faults, InMemoryAccessLog accessLog)
    {
        _app = app;
        _store = store;
        _bookmarks = bookmarks;
        _certificate = certificate;
        Faults = faults;
        AccessLog = accessLog;
        Url = new Uri(app.Urls.First());
        CertificateAuthorityPem = certificate?.ExportCertificatePem();
    }

    /// <summary>The base URL, e.g. <c>https://127.0.0.1:41234</c>.</summary>
    public Uri Url { get; }

    /// <summary>PEM of the self-signed serving certificate (HTTPS only).</summary>
    public string? CertificateAuthorityPem { get; }

    public InMemoryFaults Faults { get; }

    /// <summary>Which client called which verb on which resource (RBAC coverage tests).</summary>
    public InMemoryAccessLog AccessLog { get; }

    /// <summary>The newest resourceVersion the server has handed out.</summary>
    public long ResourceVersion => _store.CurrentResourceVersion;

    /// <summary>Starts the server (127.0.0.1, port 0 by default) and registers the CRDs the options name.</summary>
    public static async Task<InMemoryKubeApiServer> StartAsync(
        InMemoryKubeApiServerOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new InMemoryKubeApiServerOptions();
        options.Validate();
        var time = timeProvider ?? TimeProvider.System;
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<InMemoryKubeApiServer>();
        var registry = new ResourceTypeRegistry();
        foreach (var type in BuiltInTypes.All)
        {
            registry.Register(type);
        }

        var faults = new InMemoryFaults();
        var store = new ObjectStore(options, new KindAdmission(new CrdRegistrar(registry, new Schema.CelRules(), time)), time, logger);
        faults.Attach(store);
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            store.Create(BuiltInTypes.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        }

        var certificate = options.Https ? SelfSignedCertificate.Create(time) : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();

        // The program embedding the server owns Ctrl-C and SIGTERM (the lab stops everything in order).
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.Listen(options.Address, options.Port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        var app = builder.Build();
        var watches = new WatchStreamWriter(store, options, time);
        var accessLog = new InMemoryAccessLog();
        var handler = new ApiRequestHandler(store, registry, faults, accessLog, options, watches, time, logger);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bookmarks = time.CreateTimer(_ => store.EmitBookmarks(), null, options.BookmarkInterval, options.BookmarkInterval);
        var server = new InMemoryKubeApiServer(app, store, bookmarks, certificate, faults, accessLog);
        InMemoryServerLog.Started(logger, server.Url);

        if (options.IncludeCapiCrds)
        {
            foreach (var name in typeof(InMemoryKubeApiServer).Assembly.GetManifestResourceNames().Where(n => n.EndsWith(".yaml", StringComparison.Ordinal)))
            {
                using var stream = typeof(InMemoryKubeApiServer).Assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                server.RegisterCrds(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
            }
        }

        foreach (var file in options.CrdFiles)
        {
            server.RegisterCrds(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false));
        }

        return server;
    }

    /// <summary>Creates every CustomResourceDefinition in a (multi-document) YAML text, as <c>kubectl create</c> would.</summary>
    public void RegisterCrds(string yaml)
    {
        foreach (var document in YamlToJson.Documents(yaml))
        {
            if (document["kind"]?.GetValue<string>() != "CustomResourceDefinition")
            {
                continue;
            }

            _store.Create(BuiltInTypes.CustomResourceDefinitions, null, document);
        }
    }

    /// <summary>Writes a kubeconfig (context <c>inmemory</c>) pointing at this server.</summary>
    public void WriteKubeConfig(string path, string? token = null) =>
        File.WriteAllText(path, KubeConfigWriter.Render(Url, CertificateAuthorityPem, token));

    public async ValueTask DisposeAsync()
    {
        await _bookmarks.DisposeAsync().ConfigureAwait(false);
        _store.InjectIntoWatches(WatchItemKind.Drop);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _certificate?.Dispose();
    }

    /// <summary>A host lifetime that leaves process signals to the embedding program.</summary>
    private sealed class EmbeddedLifetime : Microsoft.Extensions.Hosting.IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
