using Google.Protobuf;
using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Cli;

/// <summary>`inventory`: prints the host inventory as the coordinator would receive it, in proto JSON.</summary>
internal static class InventoryCommand
{
    public static int Run(CommandLine commandLine, TextWriter output)
    {
        var root = new HostRoot(commandLine.Root);
        var inventory = new HostInventoryReader(root, root.IsRealRoot ? new NetworkInterfaceAddressSource() : new NoAddresses()).Read();
        var formatter = new JsonFormatter(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
        output.WriteLine(formatter.Format(inventory));
        return 0;
    }

    /// <summary>A fixture root has no live interfaces to ask.</summary>
    private sealed class NoAddresses : INetworkAddressSource
    {
        public IReadOnlyList<string> AddressesOf(string interfaceName) => [];
    }
}
