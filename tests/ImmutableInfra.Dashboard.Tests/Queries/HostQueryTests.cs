using System.Text.Json;
using ImmutableInfra.Dashboard.Fleet;
using ImmutableInfra.Dashboard.Queries;
using ImmutableInfra.Dashboard.Tests.Support;

namespace ImmutableInfra.Dashboard.Tests.Queries;

public sealed class HostQueryTests
{
    private static readonly DashboardOptions Options = new();

    private static readonly IReadOnlyList<HostView> Hosts = Enumerable.Range(0, 250)
        .Select(i => HostDecoder.Decode(JsonDocument.Parse(Objects.Host($"h{i:D3}", i % 2 == 0 ? "workers" : "control-plane", i % 5 == 0 ? "Provisioned" : "Available", i).ToJsonString()).RootElement.Clone()))
        .ToList();

    private static HostQuery Query(params (string Key, string Value)[] parameters) =>
        HostQuery.Parse(k => parameters.FirstOrDefault(p => p.Key == k).Value, Options);

    [Fact]
    public void Run_NoFilter_PagesByDefaultSize()
    {
        var page = Query().Run(Hosts);

        Assert.Equal((250, 1, 5, 50), (page.Matched, page.Page, page.Pages, page.Items.Count));
        Assert.Equal("h000", page.Items[0].Metadata.Name);
    }

    [Fact]
    public void Run_PoolAndState_FilterTogether()
    {
        var page = Query(("pool", "workers"), ("state", "Provisioned")).Run(Hosts);

        Assert.Equal(25, page.Matched);
        Assert.All(page.Items, h => Assert.Equal(("workers", "Provisioned"), (h.Pool, h.State)));
    }

    [Fact]
    public void Run_LabelSelector_Filters()
    {
        var page = Query(("labels", "rack in (r1, r2), pool=control-plane")).Run(Hosts);

        Assert.Equal(Hosts.Count(h => h.Pool == "control-plane" && h.Metadata.Labels["rack"] is "r1" or "r2"), page.Matched);
        Assert.Null(page.SelectorError);
    }

    [Fact]
    public void Run_BadSelector_FiltersNothingAndSaysWhy()
    {
        var page = Query(("labels", "rack in (")).Run(Hosts);

        Assert.Equal(250, page.Matched);
        Assert.Contains("rack in (", page.SelectorError, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_FreeText_MatchesAddressesAndNames()
    {
        Assert.Equal(["h007"], Query(("q", "198.18.0.8/")).Run(Hosts).Items.Select(h => h.Metadata.Name));
        Assert.Equal(10, Query(("q", "H01")).Run(Hosts).Matched);
    }

    [Fact]
    public void Run_SortDescendingByState_TiesByName()
    {
        var items = Query(("sort", "state"), ("dir", "desc"), ("size", "200")).Run(Hosts).Items;

        Assert.Equal("Provisioned", items[0].State);
        Assert.Equal("h245", items[0].Metadata.Name);
        Assert.Equal(200, items.Count);
    }

    [Fact]
    public void Parse_PageSizeAndPage_AreBounded()
    {
        var query = Query(("size", "100000"), ("page", "-3"));
        Assert.Equal((Options.MaxPageSize, 1), (query.PageSize, query.Page));

        var last = Query(("page", "999")).Run(Hosts);
        Assert.Equal((5, 50), (last.Page, last.Items.Count));
    }
}
