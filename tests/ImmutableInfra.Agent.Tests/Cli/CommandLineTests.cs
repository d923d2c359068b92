using ImmutableInfra.Agent.Cli;

namespace ImmutableInfra.Agent.Tests.Cli;

public sealed class CommandLineTests
{
    [Fact]
    public void Parse_RunWithoutConfig_UsesTheDefaultPath()
    {
        var (parsed, _) = CommandLine.Parse(["run"]);

        Assert.Equal(new CommandLine("run", "/etc/immutableinfra/agent.yaml", "/", "json"), parsed);
    }

    [Fact]
    public void Parse_InventoryWithRootAndOutput_Parses()
    {
        var (parsed, _) = CommandLine.Parse(["inventory", "--root", "/mnt/host", "-o", "json"]);

        Assert.Equal("/mnt/host", parsed!.Root);
    }

    [Theory]
    [InlineData(new string[0], "missing command")]
    [InlineData(new[] { "destroy" }, "unknown command 'destroy'")]
    [InlineData(new[] { "check-config" }, "needs --config")]
    [InlineData(new[] { "run", "--config" }, "needs a value")]
    [InlineData(new[] { "inventory", "-o", "yaml" }, "not supported")]
    [InlineData(new[] { "run", "--root", "/" }, "unknown option '--root' for run")]
    public void Parse_BadArguments_AreUsageErrors(string[] args, string error)
    {
        var (parsed, message) = CommandLine.Parse(args);

        Assert.Null(parsed);
        Assert.Contains(error, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inventory_FixtureRoot_PrintsProtoJson()
    {
        using var tree = ImmutableInfra.Agent.Tests.Inventory.Fixtures.HostFixtures.NvmeServer();
        using var output = new StringWriter();

        var code = InventoryCommand.Run(new CommandLine("inventory", "", tree.Root, "json"), output);

        Assert.Equal(0, code);
        var json = System.Text.Json.JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal("PowerEdge R650", json.GetProperty("system").GetProperty("product").GetString());
        Assert.Equal(2, json.GetProperty("disks").GetArrayLength());
        Assert.Equal("DISK_TRANSPORT_NVME", json.GetProperty("disks")[0].GetProperty("transport").GetString());
    }
}
