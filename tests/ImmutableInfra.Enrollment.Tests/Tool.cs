using System.Diagnostics;

namespace ImmutableInfra.Enrollment.Tests;

/// <summary>Runs a real validator (ignition-validate, bash, shellcheck) on a file and returns its exit code and output.</summary>
internal static class Tool
{
    public static (int ExitCode, string Output) Run(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }

    public static string WriteTemp(string contents, string extension)
    {
        var path = Path.Combine(Path.GetTempPath(), $"immutableinfra-enrollment-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(path, contents);
        return path;
    }
}
