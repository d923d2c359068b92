using ImmutableInfra.Grpc.Tests.V1;

namespace ImmutableInfra.Grpc.Tests.TestSupport;

/// <summary>Client-side method descriptors of the test Echo service.</summary>
internal static class EchoMethods
{
    public static readonly Method<EchoRequest, EchoReply> Unary = Create("Unary");
    public static readonly Method<EchoRequest, EchoReply> ServerStream = Create("ServerStream");
    public static readonly Method<EchoRequest, EchoReply> ClientStream = Create("ClientStream");
    public static readonly Method<EchoRequest, EchoReply> Duplex = Create("Duplex");
    public static readonly Method<EchoRequest, EchoReply> Unbound = Create("Unbound");

    private static Method<EchoRequest, EchoReply> Create(string name) =>
        ProtobufMethod.Create<EchoRequest, EchoReply>(EchoReflection.Descriptor.Services[0].FindMethodByName(name));
}
