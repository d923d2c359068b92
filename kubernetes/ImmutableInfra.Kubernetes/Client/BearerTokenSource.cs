namespace ImmutableInfra.Kubernetes.Client;

/// <summary>The bearer token of a client: static, or read from a file and re-read after an interval (projected tokens rotate).</summary>
internal sealed class BearerTokenSource(string? token, string? tokenFile, TimeSpan refreshInterval, TimeProvider timeProvider)
{
    private readonly Lock _lock = new();
    private string? _cached = token;
    private long _readAt;

    public string? Current()
    {
        if (tokenFile is null)
        {
            return _cached;
        }

        lock (_lock)
        {
            if (_readAt == 0 || timeProvider.GetElapsedTime(_readAt) >= refreshInterval)
            {
                _cached = File.ReadAllText(tokenFile).Trim();
                _readAt = timeProvider.GetTimestamp();
            }

            return _cached;
        }
    }
}
