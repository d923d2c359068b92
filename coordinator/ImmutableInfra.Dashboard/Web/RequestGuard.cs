using Microsoft.AspNetCore.Http;

namespace ImmutableInfra.Dashboard.Web;

/// <summary>
/// What keeps other sites out of a dashboard that holds the user's Kubernetes credentials: only GET/HEAD; a Host
/// header of 127.0.0.1:port or localhost:port (DNS rebinding); no cross-site subresource requests (a page
/// elsewhere embedding or fetching ours); no CORS headers ever; a CSP that allows only our own assets.
/// </summary>
internal sealed class RequestGuard(Func<int> port)
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
        if (Refusal(context.Request) is { } refusal)
        {
            context.Response.StatusCode = refusal.Status;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(refusal.Reason, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>Why a request is refused, or null to serve it.</summary>
    internal (int Status, string Reason)? Refusal(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return (StatusCodes.Status405MethodNotAllowed, "the dashboard is read-only");
        }

        var allowed = AllowedHosts();
        if (!allowed.Contains(request.Headers.Host.ToString(), StringComparer.OrdinalIgnoreCase))
        {
            return (StatusCodes.Status403Forbidden, "Host header not allowed: open the dashboard at http://127.0.0.1:" + port());
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !allowed.Any(h => origin.Equals("http://" + h, StringComparison.OrdinalIgnoreCase)))
        {
            return (StatusCodes.Status403Forbidden, "cross-origin requests are not allowed");
        }

        // A link from elsewhere may open the dashboard (a navigation shows the page to the user only); a page
        // elsewhere may not load our data into itself.
        if (request.Headers["Sec-Fetch-Site"] == "cross-site" && request.Headers["Sec-Fetch-Mode"] != "navigate")
        {
            return (StatusCodes.Status403Forbidden, "cross-site requests are not allowed");
        }

        return null;
    }

    private string[] AllowedHosts() => [$"127.0.0.1:{port()}", $"localhost:{port()}"];
}
