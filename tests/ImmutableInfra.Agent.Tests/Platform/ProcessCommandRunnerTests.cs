using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Tests.Platform;

public sealed class ProcessCommandRunnerTests
{
    private readonly ProcessCommandRunner _runner = new();

    [Fact]
    public async Task Run_ChattyCommand_KeepsOnlyHeadAndTail()
    {
        var request = CommandRequest.Shell("yes | head -c 50M", TimeSpan.FromMinutes(2)) with { OutputEdgeBytes = 8 * 1024 };

        var result = await _runner.RunAsync(request, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(50L * 1024 * 1024, result.StandardOutput.TotalBytes);
        Assert.True(result.StandardOutput.CapturedBytes <= 2 * 8 * 1024);
        Assert.Equal((50L * 1024 * 1024) - (16 * 1024), result.StandardOutput.DroppedBytes);
        Assert.StartsWith("y\ny\n", global::System.Text.Encoding.ASCII.GetString(result.StandardOutput.Head), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CommandPastItsTimeout_IsKilledAndReportedTimedOut()
    {
        var result = await _runner.RunAsync(CommandRequest.Shell("sleep 30", TimeSpan.FromMilliseconds(300)), CancellationToken.None);

        Assert.True(result.TimedOut);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Run_FailingCommand_ReportsExitCodeAndStderr()
    {
        var result = await _runner.RunAsync(CommandRequest.Shell("echo oops >&2; exit 3", TimeSpan.FromSeconds(30)), CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("oops\n", result.StandardError.ToString());
    }
}
