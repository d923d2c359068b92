using AngleSharp.Html.Parser;
using ImmutableInfra.Dashboard.Tests.Support;

namespace ImmutableInfra.Dashboard.Tests.Web;

/// <summary>
/// 10,000 hosts in the in-memory API server: every page stays bounded, whatever the fleet's size. How fast the hosts
/// page answers is measured by bench/dashboard-hosts-page.sh, not asserted here.
/// </summary>
public sealed class ScaleTests(TenThousandHosts fleet) : IClassFixture<TenThousandHosts>
{
    private const int Hosts = TenThousandHosts.Count;
    private readonly ApiLab _lab = fleet.Lab;

    [Fact]
    public async Task HostsPages_AtTenThousandHosts_ShipOnePageOfRows()
    {
        foreach (var (query, rows, matched) in new[]
        {
            ("/hosts", 50, Hosts),
            ("/hosts?size=200&sort=memory&dir=desc", 200, Hosts),
            ("/hosts?state=Failed&page=7", 50, Hosts / Bulk.States.Length),
            ("/hosts?labels=rack+in+(r1,r2)&q=host-0", 50, 5_000),
            ("/hosts?q=host-09999", 1, 1),
        })
        {
            var html = await _lab.Http.GetStringAsync(query);
            var doc = new HtmlParser().ParseDocument(html);

            Assert.Equal(rows, doc.QuerySelectorAll("table.hosts tbody tr").Length);
            Assert.Equal(matched, int.Parse(doc.QuerySelector("#host-summary")!.GetAttribute("data-matched")!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.InRange(html.Length, 1, 400 * 1024);
            Assert.InRange(doc.All.Length, 1, 6_000);
        }
    }

    [Fact]
    public async Task PoolsPage_AtTenThousandHosts_CountsEveryHostInOneRow()
    {
        var doc = new HtmlParser().ParseDocument(await _lab.Http.GetStringAsync("/pools"));

        var row = doc.QuerySelector("tr[data-key='fleet/workers']")!;
        Assert.Equal("10000", row.QuerySelectorAll("td")[1].TextContent);
        Assert.InRange(doc.All.Length, 1, 500);
    }
}

/// <summary>The in-memory API server with 10,000 hosts and a dashboard that has listed them all.</summary>
public sealed class TenThousandHosts : IAsyncLifetime
{
    public const int Count = 10_000;

    internal ApiLab Lab { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Lab = await ApiLab.StartAsync();
        await Bulk.HostsAsync(Lab, Count);
        await Eventually.True(() => Lab.Dashboard.Store.Hosts.Count == Count, "all hosts are seen");
    }

    public async Task DisposeAsync() => await Lab.DisposeAsync();
}
