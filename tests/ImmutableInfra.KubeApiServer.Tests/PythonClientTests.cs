using ImmutableInfra.KubeApiServer.Tests.Fixtures;

namespace ImmutableInfra.KubeApiServer.Tests;

/// <summary>Debian's python3-kubernetes (the official Python client) runs the session's reads and writes against the server.</summary>
public sealed class PythonClientTests
{
    [Fact]
    public async Task PythonClient_Session_Passes()
    {
        await using var session = await ServerSession.StartAsync(withOurCrds: true);
        var script = Path.Combine(AppContext.BaseDirectory, "Fixtures", "python_session.py");

        // Debian's interpreter, where apt installed python3-kubernetes (scripts/test.sh), whatever python3 PATH finds first.
        var result = await ToolProcess.RunAsync("/usr/bin/python3", [script, session.Kubeconfig], session.Kubeconfig);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("python session done", result.Output);
    }
}
