using Google.Protobuf;
using ImmutableInfra.Contract.V1;
using ImmutableInfra.Grpc.Tests.TestSupport;

namespace ImmutableInfra.Grpc.Tests.Contract;

public sealed class AgentServiceStubTests
{
    private sealed class FakeCoordinator : AgentServiceBase
    {
        public override Task<RegisterResponse> Register(RegisterRequest request, ServerCallContext context) =>
            request.RegistrationToken == "good"
                ? Task.FromResult(new RegisterResponse { Namespace = "ns", InventoryName = request.Identity.SystemUuid, Credential = "cred" })
                : throw new RpcException(new Status(StatusCode.Unauthenticated, "wrong token"));

        public override async Task Sync(IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<CoordinatorMessage> responseStream, ServerCallContext context)
        {
            if (!await requestStream.MoveNext(context.CancellationToken) || requestStream.Current.BodyCase != AgentMessage.BodyOneofCase.Hello)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, "first message must be a hello"));
            }

            await responseStream.WriteAsync(new CoordinatorMessage { Desired = new DesiredState { Generation = 1, Idle = new Idle() } });
            while (await requestStream.MoveNext(context.CancellationToken))
            {
                await responseStream.WriteAsync(new CoordinatorMessage { InventoryRequest = new InventoryRequest() });
            }
        }
    }

    [Fact]
    public async Task Register_GoodToken_ReturnsCredential()
    {
        await using var server = await TestServer.StartAsync(extraServices: [new FakeCoordinator().BindService()]);
        using var channel = server.CreateChannel();
        var client = new AgentServiceClient(channel);
        var response = await client.RegisterAsync(new RegisterRequest { RegistrationToken = "good", Identity = new HostIdentity { SystemUuid = "uuid-1" } });
        Assert.Equal("uuid-1", response.InventoryName);
        Assert.Equal("cred", response.Credential);
    }

    [Fact]
    public async Task Register_WrongToken_ReturnsUnauthenticated()
    {
        await using var server = await TestServer.StartAsync(extraServices: [new FakeCoordinator().BindService()]);
        using var channel = server.CreateChannel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => new AgentServiceClient(channel).RegisterAsync(new RegisterRequest { RegistrationToken = "bad" }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task Sync_HelloThenHeartbeat_ReceivesDesiredStateThenInventoryRequest()
    {
        await using var server = await TestServer.StartAsync(extraServices: [new FakeCoordinator().BindService()]);
        using var channel = server.CreateChannel();
        using var sync = new AgentServiceClient(channel).Sync();
        await sync.RequestStream.WriteAsync(new AgentMessage { Hello = new SyncHello { Namespace = "ns", InventoryName = "h" } });
        Assert.True(await sync.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(1, sync.ResponseStream.Current.Desired.Generation);
        await sync.RequestStream.WriteAsync(new AgentMessage { Heartbeat = new Heartbeat { Sequence = 1 } });
        Assert.True(await sync.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(CoordinatorMessage.BodyOneofCase.InventoryRequest, sync.ResponseStream.Current.BodyCase);
        await sync.RequestStream.CompleteAsync();
        Assert.False(await sync.ResponseStream.MoveNext(CancellationToken.None));
    }

    [Fact]
    public async Task FetchBootstrapData_NotOverridden_ReturnsUnimplemented()
    {
        await using var server = await TestServer.StartAsync(extraServices: [new FakeCoordinator().BindService()]);
        using var channel = server.CreateChannel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => new AgentServiceClient(channel).FetchBootstrapDataAsync(new FetchBootstrapDataRequest { MachineUid = "m" }).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public void Methods_MatchGeneratedDescriptor()
    {
        // AgentServiceMethods spells the methods out so the agent never builds descriptors; they must agree.
        AssertMatches(AgentServiceMethods.Register, new RegisterRequest(), new RegisterResponse());
        AssertMatches(AgentServiceMethods.Sync, new AgentMessage(), new CoordinatorMessage());
        AssertMatches(AgentServiceMethods.FetchBootstrapData, new FetchBootstrapDataRequest(), new BootstrapData());
        Assert.Equal(3, AgentServiceMethods.Descriptor.Methods.Count);

        Assert.Equal("/immutableinfra.agent.v1.AgentService/Register", AgentServiceMethods.Register.FullName);
        Assert.Equal(MethodType.DuplexStreaming, AgentServiceMethods.Sync.Type);
        Assert.Equal("/immutableinfra.agent.v1.AgentService/FetchBootstrapData", AgentServiceMethods.FetchBootstrapData.FullName);
        var data = new BootstrapData { Data = ByteString.CopyFromUtf8("x") };
        using var frame = MessageFrameWriter.Frame(data, AgentServiceMethods.FetchBootstrapData.ResponseMarshaller, 1024, null);
        Assert.Equal(data, AgentServiceMethods.FetchBootstrapData.ResponseMarshaller.Deserialize(frame.Memory[5..]));
    }

    private static void AssertMatches<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, TResponse response)
        where TRequest : IMessage
        where TResponse : IMessage
    {
        var descriptor = AgentServiceMethods.Descriptor.FindMethodByName(method.Name);
        Assert.NotNull(descriptor);
        Assert.Equal(descriptor.Service.FullName, method.ServiceName);
        Assert.Equal(ProtobufMethod.TypeOf(descriptor), method.Type);
        Assert.Same(descriptor.InputType, request.Descriptor);
        Assert.Same(descriptor.OutputType, response.Descriptor);
    }
}
