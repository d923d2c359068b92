using ImmutableInfra.Dashboard.Web;
using Microsoft.AspNetCore.Http;

namespace ImmutableInfra.Dashboard.Tests.Web;

public sealed class RequestGuardTests
{
    private static readonly RequestGuard Guard = new(() => 8765);

    private static int? Status(string method, string host, string? origin = null, string? site = null, string? mode = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Headers.Host = host;
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        if (site is not null)
        {
            context.Request.Headers["Sec-Fetch-Site"] = site;
            context.Request.Headers["Sec-Fetch-Mode"] = mode;
        }

        return Guard.Refusal(context.Request)?.Status;
    }

    [Theory]
    [InlineData("127.0.0.1:8765")]
    [InlineData("localhost:8765")]
    public void Loopback_Get_IsServed(string host) => Assert.Null(Status("GET", host));

    [Theory]
    [InlineData("attacker.example:8765")]
    [InlineData("127.0.0.1:9999")]
    [InlineData("127.0.0.1")]
    [InlineData("")]
    public void OtherHost_IsRefused_AgainstDnsRebinding(string host) => Assert.Equal(403, Status("GET", host));

    [Theory]
    [InlineData("POST")]
    [InlineData("DELETE")]
    [InlineData("PUT")]
    public void Writes_AreRefused(string method) => Assert.Equal(405, Status(method, "127.0.0.1:8765"));

    [Fact]
    public void CrossOrigin_IsRefused() => Assert.Equal(403, Status("GET", "127.0.0.1:8765", origin: "http://attacker.example"));

    [Fact]
    public void SameOrigin_IsServed() => Assert.Null(Status("GET", "127.0.0.1:8765", origin: "http://127.0.0.1:8765"));

    [Fact]
    public void CrossSiteSubresource_IsRefused_ButANavigationIsServed()
    {
        Assert.Equal(403, Status("GET", "127.0.0.1:8765", site: "cross-site", mode: "no-cors"));
        Assert.Null(Status("GET", "127.0.0.1:8765", site: "cross-site", mode: "navigate"));
    }
}
