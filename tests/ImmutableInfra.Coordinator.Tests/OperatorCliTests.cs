using System.Diagnostics;
using System.Text.Json.Nodes;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Coordinator.Cli;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Lab;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImmutableInfra.Coordinator.Tests;

/// <summary>
/// The operator CLI (also <c>kubectl baremetal</c>) against a lab management cluster with two enrolled hosts:
/// what it prints, what it changes, and its exit codes and messages on bad input.
/// </summary>
public sealed class OperatorCliTests : IAsyncLifetime
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);
    private readonly string _kubeconfig = Path.Combine(Path.GetTempPath(), $"immutableinfra-cli-{Guid.NewGuid():N}.kubeconfig");
    private LabEnvironment? _lab;

    private LabEnvironment Lab => _lab!;

    public async Task InitializeAsync()
    {
        _lab = await LabEnvironment.StartAsync(new LabOptions { Hosts = 2, Timeout = Settle }, NullLoggerFactory.Instance, CancellationToken.None);
        await Lab.CreatePoolAsync(CancellationToken.None);
        await Lab.StartHostsAsync(0, 2, CancellationToken.None);
        await Eventually.TrueAsync(async () => (await Lab.HostsAsync(CancellationToken.None)).Count(h => h.Status?.State == HostState.Available) == 2,
            Settle, "both hosts Available", CancellationToken.None);
        // The pool's counts follow its hosts within a second (MachineInventoryPoolController.CountsDelay).
        await Eventually.TrueAsync(async () => (await Lab.Api.Resource(InfrastructureResources.MachineInventoryPools).ListAsync(LabEnvironment.Namespace, cancellationToken: CancellationToken.None))
            .Items.Any(p => p.Status?.Available == 2), Settle, "the pool counting both hosts Available", CancellationToken.None);
        Lab.Server.WriteKubeConfig(_kubeconfig);
    }

    public async Task DisposeAsync()
    {
        File.Delete(_kubeconfig);
        await Lab.DisposeAsync();
    }

    [Fact]
    public async Task ListsAndShows_PoolsHostsAndTheirInventory_AsTablesAndJson()
    {
        var pools = await RunAsync("pools", "list");
        Assert.Equal(0, pools.Exit);
        Assert.Matches(@"(?m)^hosts\s+2\s+0\s+0\s+0\s+0\s+2\s", pools.Output);

        var json = await RunAsync("hosts", "list", "-o", "json");
        Assert.Equal(0, json.Exit);
        var items = JsonNode.Parse(json.Output)!["items"]!.AsArray();
        Assert.Equal(2, items.Count);
        var name = (string)items[0]!["metadata"]!["name"]!;

        var show = await RunAsync("hosts", "show", name);
        Assert.Equal(0, show.Exit);
        Assert.Contains("State:          Available", show.Output, StringComparison.Ordinal);
        Assert.Contains("vda", show.Output, StringComparison.Ordinal);

        var missing = await RunAsync("hosts", "show", "no-such-host");
        Assert.Equal(ExitCodes.NotFound, missing.Exit);
        Assert.StartsWith("error: not found", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cordon_PutsTheHostInMaintenance_AndUncordonReturnsIt()
    {
        var name = (await Lab.HostsAsync(CancellationToken.None))[0].Metadata.Name!;

        Assert.Equal(0, (await RunAsync("hosts", "cordon", name)).Exit);
        await Eventually.TrueAsync(async () => (await Lab.HostsAsync(CancellationToken.None)).Single(h => h.Metadata.Name == name).Status?.State == HostState.Maintenance,
            Settle, "the host in Maintenance", CancellationToken.None);

        Assert.Equal(0, (await RunAsync("hosts", "uncordon", name)).Exit);
        await Eventually.TrueAsync(async () => (await Lab.HostsAsync(CancellationToken.None)).Single(h => h.Metadata.Name == name).Status?.State == HostState.Available,
            Settle, "the host Available again", CancellationToken.None);
    }

    [Fact]
    public async Task DenyApproveAndRekey_WriteTheOperatorsDecision_AndTheListShowsWhoWaits()
    {
        var name = (await Lab.HostsAsync(CancellationToken.None))[1].Metadata.Name!;
        var hosts = Lab.Api.Resource(InfrastructureResources.MachineInventories);

        Assert.Equal(0, (await RunAsync("hosts", "deny", name)).Exit);
        var denied = await hosts.GetAsync(LabEnvironment.Namespace, name);
        Assert.True(denied.Spec!.Denied);
        Assert.False(denied.Spec.Approved);
        Assert.Matches($@"(?m)^{name}\s.*\sdenied\s+-\s*$", (await RunAsync("hosts", "list")).Output);

        // A re-key request waiting for an operator shows in WAITING, and approve answers it too.
        // The coordinator writes the host too (the denied host's stream ends): write on the latest version.
        for (var attempt = 0; ; attempt++)
        {
            var latest = await hosts.GetAsync(LabEnvironment.Namespace, name);
            latest.Status!.RekeyRequest = new RekeyRequest { RequestedAt = DateTimeOffset.UtcNow, Source = "198.18.0.7", Reason = "host is claimed; re-keying it needs an operator" };
            try
            {
                await hosts.UpdateStatusAsync(latest);
                break;
            }
            catch (KubeConflictException) when (attempt < 10)
            {
            }
        }

        Assert.Matches($@"(?m)^{name}\s.*\sdenied\s+rekey from 198\.18\.0\.7 \S+ ago: host is claimed\s*$", (await RunAsync("hosts", "list")).Output);
        Assert.Equal(0, (await RunAsync("hosts", "approve", name)).Exit);
        var approved = await hosts.GetAsync(LabEnvironment.Namespace, name);
        Assert.True(approved.Spec!.Approved);
        Assert.Null(approved.Spec.Denied);
        Assert.NotNull(approved.Spec.RekeyApprovedAt);

        Assert.Equal(0, (await RunAsync("hosts", "rekey", name)).Exit);
        Assert.InRange((await hosts.GetAsync(LabEnvironment.Namespace, name)).Spec!.RekeyApprovedAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        var show = await RunAsync("hosts", "show", name);
        Assert.Contains("Approval:       approved (re-key approved", show.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, (await RunAsync("hosts", "approve", "no-such-host")).Exit);
    }

    [Fact]
    public async Task Token_RotatesThePoolToken_AndPrintsItOnlyWhenAsked()
    {
        var quiet = await RunAsync("pools", "token", LabEnvironment.PoolName);
        Assert.Equal(0, quiet.Exit);
        Assert.Contains("rotated", quiet.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Lab.PoolToken!, quiet.Output, StringComparison.Ordinal);

        var shown = await RunAsync("pools", "token", LabEnvironment.PoolName, "--show");
        var token = shown.Output.Trim().Split('\n')[^1];
        Assert.Equal(43, token.Length);
        Assert.NotEqual(Lab.PoolToken, token);
        var enrollment = await RunAsync("pools", "render-enrollment", LabEnvironment.PoolName, "--format", "combustion", "--coordinator-url", "https://coordinator.example.internal:9443");
        Assert.Contains(token, enrollment.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderEnrollment_Ignition_WithStaticNetwork_PassesIgnitionValidate()
    {
        var result = await RunAsync("pools", "render-enrollment", LabEnvironment.PoolName, "--coordinator-url", "https://coordinator.example.internal:9443",
            "--mac", "52:54:00:12:34:56", "--address", "198.18.0.10/15", "--address", "2001:db8::10/64", "--gateway", "198.18.0.1", "--dns", "198.18.0.53");

        Assert.Equal(0, result.Exit);
        var paths = JsonNode.Parse(result.Output)!["storage"]!["files"]!.AsArray().Select(f => (string)f!["path"]!).ToList();
        Assert.Contains("/etc/immutableinfra/agent.yaml", paths);
        Assert.Contains("/etc/NetworkManager/system-connections/immutableinfra-static.nmconnection", paths);
        var file = Path.Combine(Path.GetTempPath(), $"immutableinfra-cli-{Guid.NewGuid():N}.ign");
        try
        {
            await File.WriteAllTextAsync(file, result.Output);
            var (exit, output) = await ToolAsync("ignition-validate", file);
            Assert.True(exit == 0, $"ignition-validate: {output}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task RenderEnrollment_Combustion_ToAFile_IsPrivateAndValidBash()
    {
        var file = Path.Combine(Path.GetTempPath(), $"immutableinfra-cli-{Guid.NewGuid():N}.sh");
        try
        {
            var result = await RunAsync("pools", "render-enrollment", LabEnvironment.PoolName, "--format", "combustion",
                "--coordinator-url", "https://coordinator.example.internal:9443", "--output-file", file);

            Assert.Equal(0, result.Exit);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.StartsWith("#!/bin/bash", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
            var (exit, output) = await ToolAsync("bash", "-n", file);
            Assert.True(exit == 0, $"bash -n: {output}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("--coordinator-url", "http://coordinator.example.internal:9443", "insecure", ExitCodes.Usage)]
    [InlineData("--coordinator-url", "not a url", "--coordinator-url", ExitCodes.Usage)]
    [InlineData("--format", "cloud-init", "cloud-init", ExitCodes.Usage)]
    public async Task RenderEnrollment_BadInput_ExitsWithUsage_AndNamesTheProblem(string flag, string value, string named, int exitCode)
    {
        var args = flag == "--coordinator-url"
            ? new[] { "pools", "render-enrollment", LabEnvironment.PoolName, flag, value }
            : ["pools", "render-enrollment", LabEnvironment.PoolName, "--coordinator-url", "https://c.example.internal:9443", flag, value];

        var result = await RunAsync(args);

        Assert.Equal(exitCode, result.Exit);
        Assert.Contains(named, result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task RenderEnrollment_ForAMissingPool_ExitsNotFound()
    {
        var result = await RunAsync("pools", "render-enrollment", "no-such-pool", "--coordinator-url", "https://c.example.internal:9443");

        Assert.Equal(ExitCodes.NotFound, result.Exit);
        Assert.Contains("no-such-pool", result.Error, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CoordinatorCommandLine.RunAsync([.. args, "--kubeconfig", _kubeconfig, "-n", LabEnvironment.Namespace], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static async Task<(int Exit, string Output)> ToolAsync(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
