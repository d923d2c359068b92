using Grpc.Core;
using Grpc.Core.Interceptors;
using ImmutableInfra.Coordinator.Observability;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Coordinator.AgentApi.Interceptors;

/// <summary>
/// Logs and counts agent API calls outside the service methods: every refused or failed call with its method,
/// status and peer (never its metadata, which carries credentials), registrations, and the open Sync streams.
/// </summary>
internal sealed partial class CallTelemetryInterceptor(ILogger<CallTelemetryInterceptor> logger) : Interceptor
{
    private const string RegisterMethod = "/immutableinfra.agent.v1.AgentService/Register";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            var response = await continuation(request, context).ConfigureAwait(false);
            if (context.Method == RegisterMethod)
            {
                CoordinatorMetrics.Registrations.Add(1);
            }

            return response;
        }
        catch (RpcException e)
        {
            CallRefused(logger, context.Method, e.StatusCode, e.Status.Detail, context.Peer);
            throw;
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        CoordinatorMetrics.OpenStreams.Add(1);
        try
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            CallRefused(logger, context.Method, e.StatusCode, e.Status.Detail, context.Peer);
            throw;
        }
        finally
        {
            CoordinatorMetrics.OpenStreams.Add(-1);
        }
    }

    [LoggerMessage(EventId = 5110, Level = LogLevel.Information, Message = "Agent call {Method} from {Peer} ended with {Code}: {Detail}")]
    private static partial void CallRefused(ILogger logger, string method, StatusCode code, string detail, string peer);
}
