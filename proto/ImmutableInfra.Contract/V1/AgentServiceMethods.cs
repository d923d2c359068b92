using Google.Protobuf.Reflection;
using ImmutableInfra.Grpc;

namespace ImmutableInfra.Contract.V1;

/// <summary>
/// The AgentService methods. They are spelled out rather than read from the generated descriptor: building
/// protobuf descriptors resolves every field accessor of agent.proto by reflection, which in the NativeAOT agent
/// costs megabytes of heap and runtime-built generic types for the whole process lifetime. A test checks that
/// these match the descriptor, and the coordinator's service binding still checks against it.
/// </summary>
public static class AgentServiceMethods
{
    /// <summary>The fully qualified service name from agent.proto.</summary>
    public const string ServiceName = "immutableinfra.agent.v1.AgentService";

    /// <summary>The service as protoc describes it (built on first use).</summary>
    public static ServiceDescriptor Descriptor => AgentReflection.Descriptor.FindTypeByName<ServiceDescriptor>("AgentService");

    /// <summary>rpc Register(RegisterRequest) returns (RegisterResponse).</summary>
    public static Method<RegisterRequest, RegisterResponse> Register { get; } =
        ProtobufMethod.Create<RegisterRequest, RegisterResponse>(MethodType.Unary, ServiceName, "Register");

    /// <summary>rpc Sync(stream AgentMessage) returns (stream CoordinatorMessage).</summary>
    public static Method<AgentMessage, CoordinatorMessage> Sync { get; } =
        ProtobufMethod.Create<AgentMessage, CoordinatorMessage>(MethodType.DuplexStreaming, ServiceName, "Sync");

    /// <summary>rpc FetchBootstrapData(FetchBootstrapDataRequest) returns (BootstrapData).</summary>
    public static Method<FetchBootstrapDataRequest, BootstrapData> FetchBootstrapData { get; } =
        ProtobufMethod.Create<FetchBootstrapDataRequest, BootstrapData>(MethodType.Unary, ServiceName, "FetchBootstrapData");
}
