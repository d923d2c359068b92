using System.Diagnostics;

namespace ImmutableInfra.KubeApiServer.Tests.Fixtures;

/// <summary>One finished run of a client program.</summary>
internal sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>Runs a real client (kubectl, python3) with a deadline; a hung client fails the test instead of hanging it.</summary>
internal static class ToolProcess
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static async Task<ToolResult> RunAsync(string program, IEnumerable<string> arguments, string kubeconfig, string? input = null)
    {
        using var process = Start(program, arguments, kubeconfig, redirectInput: input is not null);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {Deadline.TotalSeconds} s");
        }

        return new ToolResult(process.ExitCode, await output, await error);
    }

    public static Process Start(string program, IEnumerable<string> arguments, string kubeconfig, bool redirectInput = false)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["HOME"] = Path.GetDirectoryName(kubeconfig)!;
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
    }

    /// <summary>kubectl on PATH, or one of the older minors the google-cloud-cli package ships beside it (kubectl.1.29).</summary>
    public static string Kubectl(string name)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .Select(d => Path.Combine(d, "kubectl")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("kubectl is not on PATH");
        if (name == "kubectl")
        {
            return onPath;
        }

        var real = new FileInfo(onPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? onPath;
        var beside = Path.Combine(Path.GetDirectoryName(real)!, name);
        return File.Exists(beside) ? beside : throw new InvalidOperationException($"{name} is not beside {real}");
    }
}
