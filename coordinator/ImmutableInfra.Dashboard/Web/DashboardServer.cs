using System.Diagnostics;
using System.Globalization;
using System.Net;
using ImmutableInfra.Dashboard.Fleet;
using ImmutableInfra.Dashboard.Queries;
using ImmutableInfra.Dashboard.Web.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Dashboard.Web;

/// <summary>The web server on 127.0.0.1: pages rendered from the store, their live parts, the SSE stream and the assets.</summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    /// <summary>The request header the page's script sends to get only the live part of a page.</summary>
    public const string FragmentHeader = "X-Dashboard-Fragment";

    private readonly WebApplication _app;
    private readonly LiveUpdates _live;

    private DashboardServer(WebApplication app, LiveUpdates live)
    {
        _app = app;
        _live = live;
    }

    public int Port { get; private set; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public static async Task<DashboardServer> StartAsync(FleetStore store, DashboardOptions options, ILoggerFactory loggers, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port);
            k.AddServerHeader = false;
            k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            k.Limits.MaxRequestLineSize = 8 * 1024;
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            k.Limits.MaxConcurrentConnections = options.MaxLiveClients + 64;
        });
        var app = builder.Build();
        var live = new LiveUpdates(store, options);
        var server = new DashboardServer(app, live);
        var guard = new RequestGuard(() => server.Port);
        var started = store.Time.GetUtcNow();
        app.Use(guard.InvokeAsync);
        app.MapGet("/", () => Results.Redirect("/pools"));
        app.MapGet("/pools", (HttpContext c) => Respond(c, store, () => PoolsPage.Render(store)));
        app.MapGet("/hosts", (HttpContext c) => Respond(c, store, () => HostsPage.Render(store, HostQuery.Parse(k => c.Request.Query[k].FirstOrDefault(), options))));
        app.MapGet("/hosts/{ns}/{name}", (HttpContext c, string ns, string name) => Respond(c, store, () => HostPage.Render(store, ns, name)));
        app.MapGet("/machines", (HttpContext c) => Respond(c, store, () => MachinesPage.Render(store, c.Request.Query["q"].FirstOrDefault())));
        app.MapGet("/clusters", (HttpContext c) => Respond(c, store, () => ClustersPage.Render(store)));
        app.MapGet("/clusters/{ns}/{name}", (HttpContext c, string ns, string name) => Respond(c, store, () => ClusterPage.Render(store, ns, name, started)));
        app.MapGet("/events", (HttpContext c) => Respond(c, store, () => EventsPage.Render(store)));
        app.MapGet("/live", live.ServeAsync);
        app.MapGet("/assets/{name}", (string name) => Assets.Serve(name));
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Port = new Uri(address).Port;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _live.DisposeAsync().ConfigureAwait(false);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Renders a page, or only its live part for the page's script; the version is read first so no change is missed.</summary>
    private static IResult Respond(HttpContext context, FleetStore store, Func<PageContent> render)
    {
        var started = Stopwatch.GetTimestamp();
        var version = store.Version;
        var page = render();
        var fragment = context.Request.Headers.ContainsKey(FragmentHeader);
        var html = fragment ? Layout.Live(page, store) : Layout.Page(page, store, version);
        // The server-side time of the page (filter, sort, page, render), for the browser's devtools and the benchmark.
        context.Response.Headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture, $"render;dur={Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.00}");
        return Results.Content(html, "text/html; charset=utf-8", statusCode: page.Status);
    }
}
