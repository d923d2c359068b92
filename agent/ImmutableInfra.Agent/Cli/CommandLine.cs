namespace ImmutableInfra.Agent.Cli;

/// <summary>The parsed command line: which command, and its options. Hand-parsed to stay small and AOT-clean.</summary>
internal sealed record CommandLine(string Command, string ConfigPath, string Root, string Output)
{
    public const string Usage = """
        usage: immutableinfra-agent <command> [options]

        commands:
          run [--config PATH]                 run the agent service (default config /etc/immutableinfra/agent.yaml)
          inventory [--root DIR] [-o json]    print this host's inventory as JSON
          check-config --config PATH          validate a configuration file and exit
        """;

    /// <summary>Parses argv; returns null and an error message on a usage error.</summary>
    public static (CommandLine? Parsed, string Error) Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            return (null, "missing command");
        }

        var command = args[0];
        if (command is not ("run" or "inventory" or "check-config"))
        {
            return (null, $"unknown command '{command}'");
        }

        string? config = null;
        var root = "/";
        var output = "json";
        for (var i = 1; i < args.Count; i++)
        {
            var option = args[i];
            if (i + 1 >= args.Count)
            {
                return (null, $"option {option} needs a value");
            }

            var value = args[++i];
            switch (option)
            {
                case "--config" or "-c" when command is "run" or "check-config":
                    config = value;
                    break;
                case "--root" when command == "inventory":
                    root = value;
                    break;
                case "-o" or "--output" when command == "inventory":
                    if (value != "json")
                    {
                        return (null, $"output format '{value}' is not supported (json)");
                    }

                    output = value;
                    break;
                default:
                    return (null, $"unknown option '{option}' for {command}");
            }
        }

        if (command == "check-config" && config is null)
        {
            return (null, "check-config needs --config PATH");
        }

        return (new CommandLine(command, config ?? Configuration.AgentOptions.DefaultPath, root, output), string.Empty);
    }
}
