namespace ImmutableInfra.Agent.Platform;

/// <summary>
/// Keeps the first and last N bytes of a stream and counts the rest, so a chatty command costs
/// at most 2N bytes of memory however much it prints.
/// </summary>
internal sealed class BoundedOutputCollector(int edgeBytes)
{
    private readonly byte[] _head = new byte[edgeBytes];
    private readonly byte[] _ring = new byte[edgeBytes];
    private int _headLength;
    private long _ringWritten;

    public void Append(ReadOnlySpan<byte> data)
    {
        var toHead = Math.Min(data.Length, _head.Length - _headLength);
        data[..toHead].CopyTo(_head.AsSpan(_headLength));
        _headLength += toHead;
        data = data[toHead..];
        if (_ring.Length == 0)
        {
            _ringWritten += data.Length;
            return;
        }

        // Only the last ring-length bytes of a large chunk can survive; skip the rest up front.
        if (data.Length > _ring.Length)
        {
            _ringWritten += data.Length - _ring.Length;
            data = data[^_ring.Length..];
        }

        foreach (var b in data)
        {
            _ring[(int)(_ringWritten % _ring.Length)] = b;
            _ringWritten++;
        }
    }

    public BoundedOutput ToOutput()
    {
        var tailLength = (int)Math.Min(_ringWritten, _ring.Length);
        var tail = new byte[tailLength];
        var start = _ringWritten - tailLength;
        for (var i = 0; i < tailLength; i++)
        {
            tail[i] = _ring[(int)((start + i) % _ring.Length)];
        }

        return new BoundedOutput(_head.AsSpan(0, _headLength).ToArray(), tail, _ringWritten - tailLength);
    }
}
