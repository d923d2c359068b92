using Google.Protobuf.Reflection;

namespace ImmutableInfra.Grpc;

/// <summary>The routable methods of one service; built from the service's generated descriptor.</summary>
public sealed class ServerServiceDefinition
{
    internal ServerServiceDefinition(string serviceName, IReadOnlyList<ServerMethod> methods)
    {
        ServiceName = serviceName;
        Methods = methods;
    }

    /// <summary>The fully qualified service name.</summary>
    public string ServiceName { get; }

    /// <summary>Every method the descriptor declares; unbound ones answer UNIMPLEMENTED.</summary>
    public IReadOnlyList<ServerMethod> Methods { get; }

    /// <summary>Starts binding handlers to the methods of <paramref name="service"/>.</summary>
    public static ServerServiceDefinitionBuilder CreateBuilder(ServiceDescriptor service) => new(service);
}
