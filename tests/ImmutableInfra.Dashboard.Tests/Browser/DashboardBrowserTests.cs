using ImmutableInfra.Dashboard.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImmutableInfra.Dashboard.Tests.Browser;

/// <summary>The dashboard in headless Chromium: what it renders, how it updates live, filters, RBAC, accessibility.</summary>
public sealed class DashboardBrowserTests(FleetBrowserFixture fixture) : IClassFixture<FleetBrowserFixture>
{
    private string Url(string path) => new Uri(fixture.Lab.Dashboard.Url, path).ToString();

    private async Task<IPage> OpenAsync(string path)
    {
        var page = await fixture.Browser.Context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                errors.Add(m.Text);
            }
        };
        await page.GotoAsync(Url(path));
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("Live updates: on");
        Assert.Empty(errors);
        return page;
    }

    [Fact]
    public async Task Pools_ShowCountsAsTextAndNoTokenDataForAUserWithoutSecrets()
    {
        var page = await OpenAsync("/pools");

        var workers = page.Locator("tr[data-key='fleet/workers']");
        await Expect(workers.Locator("ul.legend")).ToContainTextAsync("Available 2");
        await Expect(page.Locator("tr[data-key='fleet/control-plane'] td.token")).ToHaveTextAsync("not permitted");
        Assert.DoesNotContain("s3cr3t", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal("Pools", await page.Locator("h1").TextContentAsync());
        await BrowserSession.ScreenshotAsync(page, "pools");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Hosts_StateChangeWrittenToTheApi_AppearsWithoutReload()
    {
        var page = await OpenAsync("/hosts?q=worker-1");
        var state = page.Locator("tr[data-key='fleet/worker-1'] .state");
        await Expect(state).ToHaveTextAsync("Available");
        await page.EvaluateAsync("() => { window.loadedOnce = true; }");

        await fixture.Lab.SetStatusAsync("machineinventories", "fleet", "worker-1", Objects.HostStatus("worker-1", "Provisioning", 11));
        await Expect(state).ToHaveTextAsync("Provisioning");
        await fixture.Lab.SetStatusAsync("machineinventories", "fleet", "worker-1", Objects.HostStatus("worker-1", "Provisioned", 11));
        await Expect(state).ToHaveTextAsync("Provisioned");

        Assert.True(await page.EvaluateAsync<bool>("() => window.loadedOnce === true"), "the page was not reloaded");
        await fixture.Lab.SetStatusAsync("machineinventories", "fleet", "worker-1", Objects.HostStatus("worker-1", "Available", 11));
        await page.CloseAsync();
    }

    [Fact]
    public async Task Hosts_FiltersByStateLabelsAndText()
    {
        var page = await OpenAsync("/hosts");
        await Expect(page.Locator("#host-summary")).ToContainTextAsync("9 of 9 hosts match");
        await BrowserSession.ScreenshotAsync(page, "hosts");

        await page.SelectOptionAsync("#filter-state", "Failed");
        await page.ClickAsync("form.filters button[type=submit]");
        await Expect(page.Locator("table.hosts tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("table.hosts tbody tr")).ToHaveAttributeAsync("data-state", "Failed");
        await Expect(page.Locator("table.hosts tbody tr")).ToContainTextAsync("kubeadm join exited with 1");

        await page.GotoAsync(Url("/hosts"));
        await page.FillAsync("#filter-labels", "rack=r1");
        await page.PressAsync("#filter-labels", "Enter");
        await Expect(page.Locator("table.hosts tbody tr")).ToHaveCountAsync(2);

        await page.GotoAsync(Url("/hosts"));
        await page.Keyboard.PressAsync("/");
        await Expect(page.Locator("#filter-q")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("198.18.0.12/");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("table.hosts tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("table.hosts tbody th a")).ToHaveTextAsync("worker-1");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Host_ReachedByItsLink_ShowsDisksWipeAndEvents()
    {
        var page = await OpenAsync("/hosts?state=Deprovisioning");
        await page.ClickAsync("table.hosts tbody th a");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Host worker-3");
        await Expect(page.Locator("table.disks-table tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("table.disks-table")).ToContainTextAsync("wiping");
        await Expect(page.Locator("table.disks-table progress")).ToHaveAttributeAsync("value", "50");
        await BrowserSession.ScreenshotAsync(page, "host");

        await page.GotoAsync(Url("/hosts/fleet/cp-0"));
        await Expect(page.Locator("table.events")).ToContainTextAsync("Claimed");
        await page.ClickAsync("text=alpha-cp-0");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Machines");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Cluster_ShowsVipPerControlPlane()
    {
        var page = await OpenAsync("/clusters");
        await page.ClickAsync("tr[data-key='fleet/alpha'] th a");

        await Expect(page.Locator("#vip-master")).ToHaveTextAsync("cp-0");
        await Expect(page.Locator("#vip-lease")).ToContainTextAsync("cp-0");
        await Expect(page.Locator("table.vip tbody tr")).ToHaveCountAsync(3);
        await BrowserSession.ScreenshotAsync(page, "cluster");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Warnings_LinkToTheHostTheyAreAbout()
    {
        var page = await OpenAsync("/events");
        await Expect(page.Locator("table.events tbody tr")).ToHaveCountAsync(1);
        await page.ClickAsync("table.events a:has-text('worker-4')");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Host worker-4");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Pages_AreKeyboardReachableWithHeadersAndCaptions()
    {
        var page = await OpenAsync("/hosts");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("a.skip")).ToBeFocusedAsync();
        await Expect(page.Locator("a.skip")).ToBeVisibleAsync();

        foreach (var path in new[] { "/pools", "/hosts", "/machines", "/clusters", "/clusters/fleet/alpha", "/hosts/fleet/worker-3", "/events" })
        {
            await page.GotoAsync(Url(path));
            Assert.Equal(0, await page.Locator("th:not([scope])").CountAsync());
            Assert.Equal(await page.Locator("table").CountAsync(), await page.Locator("table > caption").CountAsync());
            Assert.Equal(1, await page.Locator("main h1").CountAsync());
            Assert.Equal(1, await page.Locator("nav a[aria-current=page]").CountAsync());
        }

        await page.CloseAsync();
    }
}
