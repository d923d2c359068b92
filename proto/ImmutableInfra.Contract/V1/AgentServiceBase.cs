using ImmutableInfra.Grpc;

namespace ImmutableInfra.Contract.V1;

/// <summary>The coordinator's side of AgentService; override the methods it serves (the rest answer UNIMPLEMENTED).</summary>
public abstract class AgentServiceBase
{
    /// <summary>Enrolls a host into a pool.</summary>
    public virtual Task<RegisterResponse> Register(RegisterRequest request, ServerCallContext context) =>
        throw Unimplemented(nameof(Register));

    /// <summary>Serves a host's sync stream.</summary>
    public virtual Task Sync(IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<CoordinatorMessage> responseStream, ServerCallContext context) =>
        throw Unimplemented(nameof(Sync));

    /// <summary>Returns a claimed host's bootstrap data.</summary>
    public virtual Task<BootstrapData> FetchBootstrapData(FetchBootstrapDataRequest request, ServerCallContext context) =>
        throw Unimplemented(nameof(FetchBootstrapData));

    /// <summary>The service definition routing every AgentService method to this instance.</summary>
    public ServerServiceDefinition BindService() =>
        ServerServiceDefinition.CreateBuilder(AgentServiceMethods.Descriptor)
            .AddUnary<RegisterRequest, RegisterResponse>(nameof(Register), Register)
            .AddDuplexStreaming<AgentMessage, CoordinatorMessage>(nameof(Sync), Sync)
            .AddUnary<FetchBootstrapDataRequest, BootstrapData>(nameof(FetchBootstrapData), FetchBootstrapData)
            .Build();

    private static RpcException Unimplemented(string method) =>
        new(new Status(StatusCode.Unimplemented, $"AgentService.{method} is not implemented by this server."));
}
