using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Dashboard.Fleet;

namespace ImmutableInfra.Dashboard.Queries;

/// <summary>What the hosts page asks for: filters, one sort column and a page. Parsed from the query string.</summary>
internal sealed record HostQuery(
    string? Pool,
    string? State,
    string? Labels,
    string? Search,
    HostSortKey Sort,
    bool Descending,
    int Page,
    int PageSize)
{
    public static HostQuery Parse(Func<string, string?> get, DashboardOptions options)
    {
        var size = int.TryParse(get("size"), out var s) ? Math.Clamp(s, 1, options.MaxPageSize) : options.DefaultPageSize;
        var page = int.TryParse(get("page"), out var p) ? Math.Max(1, p) : 1;
        var sort = Enum.TryParse<HostSortKey>(get("sort"), ignoreCase: true, out var k) ? k : HostSortKey.Name;
        return new HostQuery(Blank(get("pool")), Blank(get("state")), Blank(get("labels")), Blank(get("q")), sort, get("dir") == "desc", page, size);
    }

    /// <summary>Filters, sorts and pages <paramref name="hosts"/>. A label selector that does not parse filters nothing and is reported.</summary>
    public HostResults Run(IEnumerable<HostView> hosts)
    {
        string? selectorError = null;
        LabelSelector? selector = null;
        if (Labels is not null)
        {
            try
            {
                selector = LabelSelectorText.Parse(Labels);
            }
            catch (FormatException e)
            {
                selectorError = e.Message;
            }
        }

        var search = Search?.ToLowerInvariant();
        var matched = new List<HostView>();
        foreach (var host in hosts)
        {
            if ((Pool is null || host.Pool == Pool)
                && (State is null || host.State == State)
                && (selector is null || selector.Matches(host.Metadata.Labels))
                && (search is null || host.SearchText.Contains(search, StringComparison.Ordinal)))
            {
                matched.Add(host);
            }
        }

        matched.Sort(HostSort.Comparer(Sort, Descending));
        var pages = Math.Max(1, (matched.Count + PageSize - 1) / PageSize);
        var page = Math.Min(Page, pages);
        var items = matched.GetRange((page - 1) * PageSize, Math.Min(PageSize, matched.Count - ((page - 1) * PageSize)));
        return new HostResults(items, matched.Count, page, pages, selectorError);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>One page of hosts: its rows, how many matched in all, which page of how many, and a selector error.</summary>
internal sealed record HostResults(IReadOnlyList<HostView> Items, int Matched, int Page, int Pages, string? SelectorError);
