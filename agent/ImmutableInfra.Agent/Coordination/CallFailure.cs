using Grpc.Core;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>Turns a failed call into a one-line reason for STATUS= and logs (status details never carry secrets).</summary>
internal static class CallFailure
{
    public static string Describe(RpcException exception)
    {
        var detail = exception.Status.Detail;
        var reason = detail.Length > 0 ? $"{exception.StatusCode}: {detail}" : exception.StatusCode.ToString();

        // The client says only "Error connecting to subchannel." for a refused or timed-out connection: the socket's
        // own error (kept as the status' debug exception) is what an operator can act on.
        var cause = exception.Status.DebugException;
        while (cause?.InnerException is not null)
        {
            cause = cause.InnerException;
        }

        if (cause is not null && !detail.Contains(cause.Message, StringComparison.Ordinal))
        {
            reason += $" ({cause.Message})";
        }

        // A refused server certificate shows only as "SSL connection could not be established"; say what that
        // means for an agent with a pinned CA.
        return detail.Contains("SSL", StringComparison.Ordinal)
            ? reason + " (TLS handshake failed: the coordinator's certificate must chain to the CA in caFile and name the host in coordinatorUrl)"
            : reason;
    }

    /// <summary>Refusals an operator has to fix (token, pool, identity); retrying soon cannot help.</summary>
    public static bool NeedsOperator(StatusCode code) =>
        code is StatusCode.Unauthenticated or StatusCode.NotFound or StatusCode.InvalidArgument or StatusCode.AlreadyExists or StatusCode.PermissionDenied;
}
