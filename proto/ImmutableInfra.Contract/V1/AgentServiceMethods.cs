using Google.Protobuf.Reflection;
using ImmutableInfra.Grpc;

namespace ImmutableInfra.Contract.V1;

/// <summary>The AgentService methods, built once from the generated descriptor.</summary>
public static class AgentServiceMethods
{
    /// <summary>The service as protoc describes it.</summary>
    public static ServiceDescriptor Descriptor { get; } = AgentReflection.Descriptor.FindTypeByName<ServiceDescriptor>("AgentService");

    /// <summary>rpc Register(RegisterRequest) returns (RegisterResponse).</summary>
    public static Method<RegisterRequest, RegisterResponse> Register { get; } =
        ProtobufMethod.Create<RegisterRequest, RegisterResponse>(Descriptor.FindMethodByName("Register"));

    /// <summary>rpc Sync(stream AgentMessage) returns (stream CoordinatorMessage).</summary>
    public static Method<AgentMessage, CoordinatorMessage> Sync { get; } =
        ProtobufMethod.Create<AgentMessage, CoordinatorMessage>(Descriptor.FindMethodByName("Sync"));

    /// <summary>rpc FetchBootstrapData(FetchBootstrapDataRequest) returns (BootstrapData).</summary>
    public static Method<FetchBootstrapDataRequest, BootstrapData> FetchBootstrapData { get; } =
        ProtobufMethod.Create<FetchBootstrapDataRequest, BootstrapData>(Descriptor.FindMethodByName("FetchBootstrapData"));
}
