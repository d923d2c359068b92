using ImmutableInfra.Coordinator.Cli;

return await CoordinatorCommandLine.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
