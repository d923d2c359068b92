using Grpc.Core;
using Grpc.Net.Client;
using ImmutableInfra.AgentApi.Tests.Robustness;
using ImmutableInfra.AgentApi.Tests.TestSupport;
using ImmutableInfra.Contract.V1;
using ImmutableInfra.Coordinator.Hosting;

namespace ImmutableInfra.AgentApi.Tests.Deadlines;

/// <summary>Calls that never send their first message are ended by the coordinator within its bounds, thousands at once.</summary>
public sealed class FirstMessageDeadlineTests
{
    private const int SilentStreams = 4_000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static readonly AgentApiLimits Limits = new()
    {
        SyncFirstMessageDeadline = TimeSpan.FromSeconds(3),
        UnaryDeadline = TimeSpan.FromSeconds(3),
        MinRequestBodyGracePeriod = TimeSpan.FromSeconds(2),
    };

    [Fact]
    public async Task SilentSyncStreams_4000AtOnce_EndWithDeadlineExceeded_WhileALegitimateCallSucceeds()
    {
        await using var coordinator = await CoordinatorUnderTest.StartAsync(Limits);
        using var channel = GrpcChannel.ForAddress(coordinator.Server.AgentApiAddress, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, ConnectTimeout = TimeSpan.FromSeconds(10) },
            DisposeHttpClient = true,
        });
        var client = new AgentService.AgentServiceClient(channel);
        var first = await RegisterAsync(client, coordinator.PoolToken, 1);
        var headers = new Metadata { { "authorization", "Bearer " + first.Credential } };

        var silent = Enumerable.Range(0, SilentStreams).Select(async _ =>
        {
            using var call = client.Sync(new CallOptions(headers, DateTime.UtcNow + Bound));
            var ended = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
            return ended.StatusCode;
        }).ToList();

        // Meanwhile the server still takes a new host.
        var second = await RegisterAsync(client, coordinator.PoolToken, 2);
        var codes = await Task.WhenAll(silent).WaitAsync(Bound);

        Assert.NotEmpty(second.Credential);
        Assert.All(codes, c => Assert.Equal(StatusCode.DeadlineExceeded, c));
    }

    [Fact]
    public async Task UnaryCallsWhoseBodyNeverArrives_AreResetWithinTheUnaryDeadline()
    {
        await using var coordinator = await CoordinatorUnderTest.StartAsync(Limits);
        using var http = new HttpMessageInvoker(new SocketsHttpHandler { EnableMultipleHttp2Connections = true });

        var stalled = Enumerable.Range(0, 200).Select(async i =>
        {
            // Every StalledEvery-th request of the factory is one whose body never arrives.
            var (request, lane) = MalformedRequestFactory.Create(coordinator.Server.AgentApiAddress, (i * MalformedRequestFactory.StalledEvery) - 1 + MalformedRequestFactory.StalledEvery, 1 << 20);
            using var _ = request;
            Assert.Equal(Lane.Stalled, lane);
            using var cts = new CancellationTokenSource(Bound);
            try
            {
                using var response = await http.SendAsync(request, cts.Token);
                await response.Content.CopyToAsync(Stream.Null, cts.Token);
                return response.TrailingHeaders.Contains("grpc-status") || response.Headers.Contains("grpc-status");
            }
            catch (Exception e) when (!cts.IsCancellationRequested && e is OperationCanceledException or HttpRequestException)
            {
                return true; // reset by the server (RST_STREAM CANCEL at the deadline, or the connection's data-rate guard)
            }
        });

        Assert.All(await Task.WhenAll(stalled), Assert.True);
        using var channel = GrpcChannel.ForAddress(coordinator.Server.AgentApiAddress);
        Assert.NotEmpty((await RegisterAsync(new AgentService.AgentServiceClient(channel), coordinator.PoolToken, 3)).Credential);
    }

    private static async Task<RegisterResponse> RegisterAsync(AgentService.AgentServiceClient client, string token, int host) =>
        await client.RegisterAsync(new RegisterRequest
        {
            Pool = CoordinatorUnderTest.Pool,
            RegistrationToken = token,
            Identity = new HostIdentity { SystemUuid = $"5e1e0000-0000-4000-8000-{host:D12}", Hostname = $"host-{host}" },
        }, deadline: DateTime.UtcNow + Bound);
}
