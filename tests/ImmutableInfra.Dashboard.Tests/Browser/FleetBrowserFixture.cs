using ImmutableInfra.Dashboard.Tests.Support;

namespace ImmutableInfra.Dashboard.Tests.Browser;

/// <summary>One seeded fleet, its dashboard and one browser for the browser tests; the user may not read Secrets.</summary>
public sealed class FleetBrowserFixture : IAsyncLifetime
{
    internal ApiLab Lab { get; private set; } = null!;

    internal BrowserSession Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Lab = await ApiLab.StartAsync(null, "secrets");
        await Seed.SmallFleetAsync(Lab);
        await Eventually.True(() => Lab.Dashboard.Store.Hosts.Count == 9 && Lab.Dashboard.Store.Events.Count == 2, "the seeded fleet is seen");
        Browser = await BrowserSession.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Lab.DisposeAsync();
    }
}
