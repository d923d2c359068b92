using ImmutableInfra.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ImmutableInfra.Dashboard.Tests.Browser;

/// <summary>The API server goes away and comes back while a page is open: a banner, then the page is current again.</summary>
public sealed class ApiOutageBrowserTests : IAsyncLifetime
{
    private ApiLab _lab = null!;
    private BrowserSession _browser = null!;

    public async Task InitializeAsync()
    {
        _lab = await ApiLab.StartAsync();
        await Seed.SmallFleetAsync(_lab);
        await Eventually.True(() => _lab.Dashboard.Store.Hosts.Count == 9, "the seeded fleet is seen");
        _browser = await BrowserSession.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _lab.DisposeAsync();
    }

    [Fact]
    public async Task ApiServerStopped_ShowsABanner_RestartedReconnectsAndShowsTheNewState()
    {
        var page = await _browser.Context.NewPageAsync();
        await page.GotoAsync(new Uri(_lab.Dashboard.Url, "/hosts").ToString());
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("Live updates: on");
        await Expect(page.Locator("table.hosts tbody tr")).ToHaveCountAsync(9);

        await _lab.StopServerAsync();
        await Expect(page.Locator("#api-banner")).ToContainTextAsync("The API server cannot be reached");
        await Expect(page.Locator("table.hosts tbody tr")).ToHaveCountAsync(9);
        await BrowserSession.ScreenshotAsync(page, "api-unreachable");

        await _lab.StartServerAsync();
        await Seed.SmallFleetAsync(_lab);
        await _lab.SetStatusAsync("machineinventories", "fleet", "worker-0", Objects.HostStatus("worker-0", "Maintenance", 10));
        await Expect(page.Locator("#api-banner")).ToHaveCountAsync(0);
        await Expect(page.Locator("tr[data-key='fleet/worker-0'] .state")).ToHaveTextAsync("Maintenance");
        await page.CloseAsync();
    }
}
