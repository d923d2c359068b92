using ImmutableInfra.Grpc.Tests.TestSupport;

namespace ImmutableInfra.Grpc.Tests.Interop;

/// <summary>python3-grpcio as the client, our Kestrel server as the server.</summary>
public sealed class PythonClientTests
{
    private const int Limit = 64 * 1024;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(40);

    private static async Task<PythonProcess> RunScenarioAsync(TestServer server, string scenario, Task? goWhen = null)
    {
        var python = PythonProcess.Start("interop_client.py", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), scenario, Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (goWhen is not null)
        {
            try
            {
                await goWhen.WaitAsync(Bound);
            }
            catch (TimeoutException)
            {
                python.Dispose();
                throw;
            }

            await python.WriteLineAsync("GO");
        }

        var exit = await python.WaitForExitAsync(Bound);
        Assert.True(exit == 0, $"scenario {scenario}: {string.Join(" | ", python.Lines)} {python.StandardError}");
        Assert.Contains("PASS", python.Lines);
        return python;
    }

    [Theory]
    [InlineData("unary")]
    [InlineData("server_stream")]
    [InlineData("client_stream")]
    [InlineData("duplex")]
    [InlineData("error")]
    [InlineData("stream_error")]
    [InlineData("limit")]
    [InlineData("gzip")]
    [InlineData("unimplemented")]
    public async Task PythonClient_Scenario_Passes(string scenario)
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.MaxReceiveMessageSize = Limit;
            o.ResponseCompression = MessageCompression.Gzip;
        });
        using var python = await RunScenarioAsync(server, scenario);
    }

    [Fact]
    public async Task PythonClient_Deadline_ServerCancelsHandlerAndClientSeesDeadlineExceeded()
    {
        await using var server = await TestServer.StartAsync();
        using var python = await RunScenarioAsync(server, "deadline");
        Assert.True(await server.Echo.HandlerCancelled.Task.WaitAsync(Bound));
    }

    [Fact]
    public async Task PythonClient_CancelsUnary_ServerHandlerIsCancelled()
    {
        await using var server = await TestServer.StartAsync();
        using var python = await RunScenarioAsync(server, "cancel", server.Echo.HandlerStarted.Task);
        Assert.True(await server.Echo.HandlerCancelled.Task.WaitAsync(Bound));
    }

    [Fact]
    public async Task PythonClient_CancelsDuplex_ServerHandlerIsCancelled()
    {
        await using var server = await TestServer.StartAsync();
        using var python = await RunScenarioAsync(server, "duplex_cancel", server.Echo.HandlerStarted.Task);
        Assert.True(await server.Echo.HandlerCancelled.Task.WaitAsync(Bound));
    }
}
