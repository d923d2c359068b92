using ImmutableInfra.Agent.Configuration;

namespace ImmutableInfra.Agent.Cli;

/// <summary>`check-config`: validates a configuration file and prints every problem with its field.</summary>
internal static class CheckConfigCommand
{
    public static int Run(CommandLine commandLine, AgentConfigLoader loader, TextWriter output, TextWriter error)
    {
        var result = loader.Load(commandLine.ConfigPath);
        Print(result, commandLine.ConfigPath, error);
        if (!result.IsValid)
        {
            return 1;
        }

        output.WriteLine($"{commandLine.ConfigPath}: ok");
        return 0;
    }

    public static void Print(ConfigLoadResult result, string path, TextWriter error)
    {
        foreach (var issue in result.Errors)
        {
            error.WriteLine($"{path}: error: {issue.Field}: {issue.Problem}");
        }

        foreach (var issue in result.Warnings)
        {
            error.WriteLine($"{path}: warning: {issue.Field}: {issue.Problem}");
        }
    }
}
