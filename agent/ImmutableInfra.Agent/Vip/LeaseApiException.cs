namespace ImmutableInfra.Agent.Vip;

/// <summary>A Lease request failed: with the apiserver's status code when it answered, null when it did not (connection, TLS).</summary>
internal class LeaseApiException(int? status, string message, TimeSpan? retryAfter = null, Exception? inner = null) : Exception(message, inner)
{
    public int? Status { get; } = status;

    /// <summary>From a 429's Retry-After header.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>Any HTTP answer proves the apiserver process is alive, whatever it said.</summary>
    public bool Answered => Status is not null;
}

/// <summary>The write's precondition failed: the Lease changed since it was read, or is no longer ours (409, or 422 from a failed JSON-patch test).</summary>
internal sealed class LeaseConflictException(int status, string message) : LeaseApiException(status, message);
