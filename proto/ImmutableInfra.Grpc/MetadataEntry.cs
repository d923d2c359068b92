using ImmutableInfra.Grpc.Internal;

namespace ImmutableInfra.Grpc;

/// <summary>One metadata entry: a lower-case key and a printable-ASCII string or (for -bin keys) bytes.</summary>
public sealed class MetadataEntry
{
    private readonly string? _value;
    private readonly byte[]? _bytes;

    /// <summary>Creates an ASCII entry.</summary>
    public MetadataEntry(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Key = NormalizeKey(key);
        if (IsBinary)
        {
            throw new ArgumentException($"Key '{Key}' ends in -bin; pass the value as bytes.", nameof(key));
        }

        foreach (var c in value)
        {
            if (c is < (char)0x20 or > (char)0x7E)
            {
                throw new ArgumentException("ASCII metadata values must be printable ASCII (0x20-0x7E).", nameof(value));
            }
        }

        _value = value;
    }

    /// <summary>Creates a binary entry.</summary>
    public MetadataEntry(string key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Key = NormalizeKey(key);
        if (!IsBinary)
        {
            throw new ArgumentException($"Key '{Key}' must end in -bin to carry bytes.", nameof(key));
        }

        _bytes = value;
    }

    /// <summary>The lower-case key.</summary>
    public string Key { get; }

    /// <summary>Whether the key ends in -bin and the value is bytes.</summary>
    public bool IsBinary => Key.EndsWith(GrpcProtocol.BinaryHeaderSuffix, StringComparison.Ordinal);

    /// <summary>The string value; for a binary entry, throws.</summary>
    public string Value => _value ?? throw new InvalidOperationException($"Entry '{Key}' is binary; read ValueBytes.");

    /// <summary>The bytes of a binary entry, or the ASCII bytes of a string entry.</summary>
    public byte[] ValueBytes => _bytes ?? System.Text.Encoding.ASCII.GetBytes(_value!);

    /// <summary>The value as it goes on the wire: the string, or unpadded base64 for -bin keys (as the protocol recommends).</summary>
    public string ToWireValue() => _bytes is null ? _value! : Convert.ToBase64String(_bytes).TrimEnd('=');

    /// <summary>Builds an entry from a received header; -bin values are base64 with or without padding.</summary>
    public static MetadataEntry FromWire(string key, string wireValue)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(wireValue);
        return key.EndsWith(GrpcProtocol.BinaryHeaderSuffix, StringComparison.OrdinalIgnoreCase)
            ? new MetadataEntry(key, Base64Value.Decode(wireValue))
            : new MetadataEntry(key, wireValue, trusted: true);
    }

    /// <inheritdoc />
    public override string ToString() => IsBinary ? $"{Key}: <{_bytes!.Length} bytes>" : $"{Key}: {_value}";

    // Received values are kept as the peer sent them (obs-text included) rather than rejected.
    private MetadataEntry(string key, string value, bool trusted)
    {
        _ = trusted;
        Key = key.ToLowerInvariant();
        _value = value;
    }

    private static string NormalizeKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var lower = key.ToLowerInvariant();
        foreach (var c in lower)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            {
                throw new ArgumentException($"Metadata key '{key}' has characters outside [0-9a-z_.-].", nameof(key));
            }
        }

        if (GrpcProtocol.IsReservedHeader(lower))
        {
            throw new ArgumentException($"Metadata key '{key}' is reserved by the protocol.", nameof(key));
        }

        return lower;
    }
}
