using System.Globalization;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using ImmutableInfra.Coordinator.Hosting;
using Microsoft.AspNetCore.Http;

namespace ImmutableInfra.Coordinator.AgentApi.Interceptors;

/// <summary>
/// Caps the deadline of every unary call at <see cref="AgentApiLimits.UnaryDeadline"/> by rewriting its
/// <c>grpc-timeout</c> before grpc-dotnet reads it: a client that sent none or a longer one gets the server's, and
/// grpc-dotnet's own deadline handling ends the call (reading its request included) with DEADLINE_EXCEEDED.
/// It runs after routing; an interceptor would come too late (grpc-dotnet starts the deadline before them).
/// </summary>
internal static class UnaryDeadlineMiddleware
{
    private const string Header = "grpc-timeout";

    public static Func<HttpContext, RequestDelegate, Task> Create(AgentApiLimits limits)
    {
        var bound = limits.UnaryDeadline;
        var capped = ((long)bound.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "m";
        return (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.Type == MethodType.Unary
                && !(TryParse(context.Request.Headers[Header].ToString(), out var asked) && asked <= bound))
            {
                context.Request.Headers[Header] = capped;
            }

            return next(context);
        };
    }

    /// <summary>The gRPC timeout format: at most 8 digits and a unit (H, M, S, m, u, n).</summary>
    internal static bool TryParse(string text, out TimeSpan timeout)
    {
        timeout = default;
        if (text.Length is < 2 or > 9 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        timeout = text[^1] switch
        {
            'H' => TimeSpan.FromHours(value),
            'M' => TimeSpan.FromMinutes(value),
            'S' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMilliseconds(value),
            'u' => TimeSpan.FromMicroseconds(value),
            'n' => TimeSpan.FromTicks(value / 100),
            _ => TimeSpan.MinValue,
        };
        return timeout >= TimeSpan.Zero;
    }
}
