using ImmutableInfra.Dashboard.Fleet;

namespace ImmutableInfra.Dashboard.Queries;

/// <summary>The columns the hosts page sorts by.</summary>
internal enum HostSortKey
{
    Name,
    Pool,
    State,
    Machine,
    Cpu,
    Memory,
    LastSeen,
}

/// <summary>Orders hosts by a column, then by key so that equal rows keep one order across pages.</summary>
internal static class HostSort
{
    public static Comparison<HostView> Comparer(HostSortKey key, bool descending)
    {
        Comparison<HostView> primary = key switch
        {
            HostSortKey.Pool => (a, b) => string.CompareOrdinal(a.Pool, b.Pool),
            HostSortKey.State => (a, b) => string.CompareOrdinal(a.State, b.State),
            HostSortKey.Machine => (a, b) => string.CompareOrdinal(a.MachineName, b.MachineName),
            HostSortKey.Cpu => (a, b) => Nullable.Compare(a.Threads, b.Threads),
            HostSortKey.Memory => (a, b) => Nullable.Compare(a.MemoryBytes, b.MemoryBytes),
            HostSortKey.LastSeen => (a, b) => Nullable.Compare(a.LastSeen, b.LastSeen),
            _ => (_, _) => 0,
        };
        return (a, b) =>
        {
            var order = primary(a, b);
            if (order == 0)
            {
                order = string.CompareOrdinal(a.Metadata.Name, b.Metadata.Name);
            }

            if (order == 0)
            {
                order = string.CompareOrdinal(a.Metadata.Namespace, b.Metadata.Namespace);
            }

            return descending ? -order : order;
        };
    }
}
