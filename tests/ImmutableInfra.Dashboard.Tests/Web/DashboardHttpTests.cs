using System.Net;
using AngleSharp.Html.Parser;
using ImmutableInfra.Dashboard.Tests.Support;

namespace ImmutableInfra.Dashboard.Tests.Web;

/// <summary>The dashboard over HTTP against the in-memory API server: what it serves, what it refuses, what RBAC hides.</summary>
public sealed class DashboardHttpTests : IAsyncLifetime
{
    private ApiLab _lab = null!;

    private HttpClient Http => _lab.Http;

    public async Task InitializeAsync()
    {
        _lab = await ApiLab.StartAsync();
        await Seed.SmallFleetAsync(_lab);
        await Eventually.True(() => _lab.Dashboard.Store.Hosts.Count == 9 && _lab.Dashboard.Store.TokenOf("fleet/control-plane").Since is not null, "the seeded fleet is seen");
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Fact]
    public async Task Pools_ShowCountsPerStateAsTextAndTokenAgeWithoutTokenData()
    {
        var html = await Http.GetStringAsync("/pools");
        var doc = new HtmlParser().ParseDocument(html);

        var workers = doc.QuerySelector("tr[data-key='fleet/workers']")!;
        Assert.Contains("Available 2", workers.TextContent, StringComparison.Ordinal);
        Assert.Contains("by an operator", workers.TextContent, StringComparison.Ordinal);
        Assert.Contains("no Secret workers-registration", workers.TextContent, StringComparison.Ordinal);
        var cp = doc.QuerySelector("tr[data-key='fleet/control-plane']")!;
        Assert.Contains("Secret control-plane-registration, written", cp.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", html, StringComparison.Ordinal);
        Assert.All(doc.QuerySelectorAll("th"), th => Assert.NotNull(th.GetAttribute("scope")));
    }

    [Fact]
    public async Task SecretsForbidden_PoolsSayNotPermitted_AndThePageIsServed()
    {
        _lab.Proxy.Forbidden.Add("secrets");
        await Eventually.True(async () => (await Http.GetStringAsync("/pools")).Contains("not permitted", StringComparison.Ordinal), "token age shown as not permitted");

        using var response = await Http.GetAsync("/pools");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("written", html, StringComparison.Ordinal);
        Assert.Contains("Available 2", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostsForbidden_HostsPageSaysNotPermitted_OtherPagesStillShow()
    {
        await using var viewer = await ApiLab.StartAsync(null, "machineinventories");
        await Seed.SmallFleetAsync(viewer);

        await Eventually.True(async () => (await viewer.Http.GetStringAsync("/hosts")).Contains("Hosts: not permitted", StringComparison.Ordinal), "hosts shown as not permitted");
        await Eventually.True(async () => (await viewer.Http.GetStringAsync("/clusters")).Contains("vrid 51", StringComparison.Ordinal), "clusters still shown");
    }

    [Fact]
    public async Task Host_PageShowsDisksWipeProgressAndEvents()
    {
        var doc = new HtmlParser().ParseDocument(await Http.GetStringAsync("/hosts/fleet/worker-3"));

        var disks = doc.QuerySelector("table.disks-table")!;
        Assert.Equal(2, disks.QuerySelectorAll("tbody tr").Length);
        Assert.Contains("wiping", disks.TextContent, StringComparison.Ordinal);
        Assert.Equal("50", disks.QuerySelector("progress")!.GetAttribute("value"));

        var failed = new HtmlParser().ParseDocument(await Http.GetStringAsync("/hosts/fleet/worker-4"));
        Assert.Contains("BootstrapFailed", failed.QuerySelector("table.events")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clusters_ListShowsTheVip()
    {
        var clusters = new HtmlParser().ParseDocument(await Http.GetStringAsync("/clusters"));
        Assert.Contains("Internal VIP 198.18.100.10, vrid 51", clusters.QuerySelector("tr[data-key='fleet/alpha']")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cluster_VipShowsMasterLeaseHolderAndEachControlPlane()
    {
        var doc = new HtmlParser().ParseDocument(await Http.GetStringAsync("/clusters/fleet/alpha"));

        Assert.Equal("cp-0", doc.QuerySelector("#vip-master")!.TextContent);
        Assert.Equal("cp-0 (as 3 of 3 control planes last read it)", doc.QuerySelector("#vip-lease")!.TextContent);
        Assert.Equal(["Master", "Backup", "Backup"], doc.QuerySelectorAll("table.vip tbody tr td:nth-child(2)").Select(td => td.TextContent));
        Assert.Equal(3, doc.QuerySelectorAll("table.machines tbody tr").Length);
    }

    [Fact]
    public async Task Cluster_FailoverSeenWhileRunning_IsInTheHistory()
    {
        var cp0 = Objects.ControlPlaneClaim(Objects.HostStatus("cp-0", "Provisioned", 0), "alpha", "alpha-cp-0", "Backup", "cp-1");
        var cp1 = Objects.ControlPlaneClaim(Objects.HostStatus("cp-1", "Provisioned", 1), "alpha", "alpha-cp-1", "Master", "cp-1");
        cp1["vip"]!["lastFailoverTime"] = "2026-01-01T00:02:30Z";
        await _lab.SetStatusAsync("machineinventories", "fleet", "cp-0", cp0);
        await _lab.SetStatusAsync("machineinventories", "fleet", "cp-1", cp1);

        await Eventually.True(async () => (await Http.GetStringAsync("/clusters/fleet/alpha")).Contains("table class=\"failovers\"", StringComparison.Ordinal), "the failover is listed");
        var doc = new HtmlParser().ParseDocument(await Http.GetStringAsync("/clusters/fleet/alpha"));
        Assert.Equal(["cp-0", "cp-1", "2m"], doc.QuerySelectorAll("table.failovers tbody tr > *").Skip(1).Select(c => c.TextContent));
        Assert.Equal("cp-1", doc.QuerySelector("#vip-master")!.TextContent);
    }

    [Fact]
    public async Task Responses_CarryCspAndNoCors_AndOtherHostsAreRefused()
    {
        using var ok = await Http.GetAsync("/hosts");
        Assert.Contains("default-src 'none'", ok.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.False(ok.Headers.Contains("Access-Control-Allow-Origin"));

        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/hosts");
        rebound.Headers.Host = "attacker.example:" + _lab.Dashboard.Url.Port;
        using var refused = await Http.SendAsync(rebound);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain("worker", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var post = await Http.PostAsync("/hosts", null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task Live_HostChange_IsPushedWithItsKind()
    {
        using var stream = new StreamReader(await Http.GetStreamAsync("/live"));
        Assert.Equal("retry: 2000", await stream.ReadLineAsync());
        await _lab.SetStatusAsync("machineinventories", "fleet", "worker-0", Objects.HostStatus("worker-0", "Claimed"));

        string? line;
        do
        {
            line = await stream.ReadLineAsync().WaitAsync(Eventually.Bound);
        }
        while (line is not null && !(line.StartsWith("data:", StringComparison.Ordinal) && line.Contains("hosts", StringComparison.Ordinal)));

        Assert.NotNull(line);
    }
}
