using ImmutableInfra.Grpc;

namespace ImmutableInfra.Contract.V1;

/// <summary>The agent's typed client of the coordinator's AgentService.</summary>
public sealed class AgentServiceClient
{
    private readonly GrpcChannel _channel;

    /// <summary>Creates a client over <paramref name="channel"/>.</summary>
    public AgentServiceClient(GrpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channel = channel;
    }

    /// <summary>Enrolls this host into a pool.</summary>
    public AsyncUnaryCall<RegisterResponse> RegisterAsync(RegisterRequest request, CallOptions options = default) =>
        _channel.UnaryCall(AgentServiceMethods.Register, request, options);

    /// <summary>Opens the host's long-lived sync stream.</summary>
    public AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage> Sync(CallOptions options = default) =>
        _channel.DuplexStreamingCall(AgentServiceMethods.Sync, options);

    /// <summary>Fetches the bootstrap data of the machine this host is provisioning.</summary>
    public AsyncUnaryCall<BootstrapData> FetchBootstrapDataAsync(FetchBootstrapDataRequest request, CallOptions options = default) =>
        _channel.UnaryCall(AgentServiceMethods.FetchBootstrapData, request, options);
}
