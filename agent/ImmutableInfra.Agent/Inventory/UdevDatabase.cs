using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Inventory;

/// <summary>Reads udev's device records (/run/udev/data/b&lt;major&gt;:&lt;minor&gt;): E: properties and S: symlinks.</summary>
internal sealed class UdevDatabase(HostRoot root)
{
    public UdevRecord Read(string majorMinor)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        var links = new List<string>();
        foreach (var line in (root.ReadText($"/run/udev/data/b{majorMinor}") ?? string.Empty).Split('\n'))
        {
            if (line.StartsWith("E:", StringComparison.Ordinal))
            {
                var equals = line.IndexOf('=', StringComparison.Ordinal);
                if (equals > 2)
                {
                    properties[line[2..equals]] = line[(equals + 1)..];
                }
            }
            else if (line.StartsWith("S:", StringComparison.Ordinal))
            {
                links.Add("/dev/" + line[2..]);
            }
        }

        return new UdevRecord(properties, links);
    }
}

/// <summary>One device's udev properties and /dev symlinks.</summary>
internal sealed record UdevRecord(IReadOnlyDictionary<string, string> Properties, IReadOnlyList<string> Links)
{
    public string Get(string key) => Properties.TryGetValue(key, out var value) ? value : string.Empty;
}
