using System.Collections;

namespace ImmutableInfra.Grpc;

/// <summary>Call metadata (headers or trailers): ordered key/value entries; keys ending in -bin hold bytes.</summary>
public sealed class Metadata : IEnumerable<MetadataEntry>
{
    private readonly List<MetadataEntry> _entries = [];

    /// <summary>The number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>The entry at <paramref name="index"/>.</summary>
    public MetadataEntry this[int index] => _entries[index];

    /// <summary>Adds an ASCII entry; the key must not end in -bin.</summary>
    public Metadata Add(string key, string value)
    {
        _entries.Add(new MetadataEntry(key, value));
        return this;
    }

    /// <summary>Adds a binary entry; the key must end in -bin.</summary>
    public Metadata Add(string key, byte[] value)
    {
        _entries.Add(new MetadataEntry(key, value));
        return this;
    }

    /// <summary>Adds an entry.</summary>
    public Metadata Add(MetadataEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _entries.Add(entry);
        return this;
    }

    /// <summary>The first entry with <paramref name="key"/> (case-insensitive), or null.</summary>
    public MetadataEntry? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The string value of the first entry with <paramref name="key"/>, or null.</summary>
    public string? GetValue(string key) => Get(key)?.Value;

    /// <summary>The bytes of the first binary entry with <paramref name="key"/>, or null.</summary>
    public byte[]? GetValueBytes(string key) => Get(key)?.ValueBytes;

    /// <inheritdoc />
    public IEnumerator<MetadataEntry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
