using ImmutableInfra.KubeApiServer.Storage;

namespace ImmutableInfra.KubeApiServer;

/// <summary>Fault injection for tests: failed requests, dropped or corrupted watches, denied clients, compaction.</summary>
public sealed class InMemoryFaults
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _deniedTokens = new(StringComparer.Ordinal);
    private ObjectStore? _store;
    private int _failuresLeft;
    private int _failureStatus;
    private int _retryAfterSeconds;

    /// <summary>The next <paramref name="count"/> requests fail with <paramref name="statusCode"/> (500, 429...).</summary>
    public void FailNextRequests(int count, int statusCode = 500, int retryAfterSeconds = 0)
    {
        lock (_lock)
        {
            (_failuresLeft, _failureStatus, _retryAfterSeconds) = (count, statusCode, retryAfterSeconds);
        }
    }

    /// <summary>Requests bearing this token get 403 Forbidden.</summary>
    public void DenyToken(string token)
    {
        lock (_lock)
        {
            _deniedTokens.Add(token);
        }
    }

    public void AllowToken(string token)
    {
        lock (_lock)
        {
            _deniedTokens.Remove(token);
        }
    }

    /// <summary>Aborts every open watch connection; returns how many there were.</summary>
    public int DropAllWatches() => Store.InjectIntoWatches(WatchItemKind.Drop);

    /// <summary>Every open watch writes half an event line, then its connection is aborted.</summary>
    public int CutWatchesMidLine() => Store.InjectIntoWatches(WatchItemKind.CutMidLine);

    /// <summary>Every open watch receives a line that is not JSON.</summary>
    public int SendGarbageToWatches() => Store.InjectIntoWatches(WatchItemKind.Garbage);

    /// <summary>Forgets the event log and list snapshots: older resourceVersions and continue tokens answer 410.</summary>
    public void Compact() => Store.Compact();

    public int OpenWatches => Store.OpenWatchCount;

    private ObjectStore Store => _store ?? throw new InvalidOperationException("server not started");

    internal void Attach(ObjectStore store) => _store = store;

    internal bool IsDenied(string? token)
    {
        lock (_lock)
        {
            return token is not null && _deniedTokens.Contains(token);
        }
    }

    internal (int Status, int RetryAfterSeconds)? TakeFailure()
    {
        lock (_lock)
        {
            if (_failuresLeft <= 0)
            {
                return null;
            }

            _failuresLeft--;
            return (_failureStatus, _retryAfterSeconds);
        }
    }
}
