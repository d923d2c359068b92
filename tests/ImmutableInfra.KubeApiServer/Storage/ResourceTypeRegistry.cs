namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>The kinds the server serves (built-ins plus registered CRDs), looked up by group/version/plural.</summary>
internal sealed class ResourceTypeRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Group, string Version, string Plural), ResourceType> _types = [];

    public void Register(ResourceType type)
    {
        lock (_lock)
        {
            _types[(type.Group, type.Version, type.Plural)] = type;
        }
    }

    public void UnregisterGroupPlural(string group, string plural)
    {
        lock (_lock)
        {
            foreach (var key in _types.Keys.Where(k => k.Group == group && k.Plural == plural).ToList())
            {
                _types.Remove(key);
            }
        }
    }

    public ResourceType? Find(string group, string version, string plural)
    {
        lock (_lock)
        {
            return _types.GetValueOrDefault((group, version, plural));
        }
    }

    public ResourceType? FindByGroupPlural(string group, string plural)
    {
        lock (_lock)
        {
            return _types.Values.FirstOrDefault(t => t.Group == group && t.Plural == plural);
        }
    }

    public IReadOnlyList<ResourceType> All()
    {
        lock (_lock)
        {
            return [.. _types.Values.OrderBy(t => t.Group, StringComparer.Ordinal).ThenBy(t => t.Version, StringComparer.Ordinal).ThenBy(t => t.Plural, StringComparer.Ordinal)];
        }
    }
}
