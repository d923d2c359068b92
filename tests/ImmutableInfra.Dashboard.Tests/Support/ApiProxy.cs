using System.Security.Cryptography.X509Certificates;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Dashboard.Tests.Support;

/// <summary>
/// A reverse proxy in front of the in-memory API server, standing for what the in-memory server lacks: RBAC (it
/// answers 403 for the resources a test forbids, as a real server answers a user without the verb) and a stable
/// address while the server behind it is stopped and started again (then it answers 502).
/// </summary>
internal sealed class ApiProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private volatile Uri? _target;
    private volatile string? _certificate;

    private ApiProxy(WebApplication app, HttpClient upstream)
    {
        _app = app;
        _upstream = upstream;
    }

    /// <summary>Resources (plural names) answered with 403 Forbidden.</summary>
    public HashSet<string> Forbidden { get; } = new(StringComparer.Ordinal);

    public Uri Url { get; private set; } = null!;

    public static async Task<ApiProxy> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        ApiProxy? proxy = null;
        // The server behind has a new self-signed certificate at each start: trust exactly the current one.
        var upstream = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && proxy?._certificate is { } expected && certificate.GetCertHashString() == expected },
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        proxy = new ApiProxy(app, upstream);
        app.Run(proxy.ForwardAsync);
        await app.StartAsync();
        proxy.Url = new Uri(app.Urls.First());
        return proxy;
    }

    /// <summary>Where requests go; null answers 502 as a gateway whose server is away.</summary>
    public void Target(Uri? server, string? certificatePem)
    {
        _certificate = certificatePem is null ? null : X509Certificate2.CreateFromPem(certificatePem).GetCertHashString();
        _target = server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var forbidden = Forbidden.FirstOrDefault(r => path.Split('/').Contains(r));
        if (forbidden is not null)
        {
            context.Response.StatusCode = 403;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(
                $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"{{forbidden}} is forbidden: User \"viewer\" cannot get resource \"{{forbidden}}\"","reason":"Forbidden","details":{"kind":"{{forbidden}}"},"code":403}""");
            return;
        }

        if (_target is not { } target)
        {
            context.Response.StatusCode = 502;
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(target, path + context.Request.QueryString));
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType);
        }

        request.Headers.TryAddWithoutValidation("Accept", context.Request.Headers.Accept.ToString());
        try
        {
            using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = 502;
            }
            else
            {
                context.Abort();
            }
        }
    }
}
