using System.CommandLine;
using System.Text;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Coordinator.AgentApi;
using ImmutableInfra.Enrollment;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Coordinator.Cli;

/// <summary><c>pools render-enrollment</c>: the Ignition config or Combustion script a MicroOS host boots with to join a pool.</summary>
internal static partial class OperatorCommands
{
    private static Command RenderEnrollment(CliContext context)
    {
        var poolArgument = new Argument<string>("pool") { Description = "the pool's name" };
        var kind = new Option<string>("--format") { Description = "ignition (JSON, spec 3.3.0) or combustion (a script)", DefaultValueFactory = _ => "ignition" };
        kind.AcceptOnlyFromAmong("ignition", "combustion");
        var coordinatorUrl = new Option<string>("--coordinator-url") { Description = "the agent API as hosts reach it, e.g. https://coordinator.example.internal:9443", Required = true };
        var caFile = new Option<FileInfo?>("--ca-file") { Description = "PEM bundle the coordinator's serving certificate chains to (default: the host's system store)" };
        var insecure = new Option<bool>("--insecure-plaintext") { Description = "allow an http:// coordinator URL (labs only)" };
        var package = new Option<string>("--agent-package") { Description = "http(s) URL of the agent RPM, or a package name in a repository the host has", DefaultValueFactory = _ => "immutableinfra-agent" };
        var interfaceName = new Option<string?>("--interface") { Description = "static network: interface name" };
        var mac = new Option<string?>("--mac") { Description = "static network: the NIC's MAC address" };
        var addresses = new Option<string[]>("--address") { Description = "static network: address/prefix (repeatable; IPv4 and/or IPv6)", AllowMultipleArgumentsPerToken = false };
        var gateway = new Option<string?>("--gateway") { Description = "static network: default gateway" };
        var dns = new Option<string[]>("--dns") { Description = "static network: DNS server (repeatable)" };
        var outputFile = new Option<FileInfo?>("--output-file") { Description = "write here (mode 0600) instead of standard output" };
        var command = new Command("render-enrollment",
            "render the Ignition config or Combustion script that enrolls a MicroOS host into a pool; it contains the pool's registration token")
        {
            poolArgument, kind, coordinatorUrl, caFile, insecure, package, interfaceName, mac, addresses, gateway, dns, outputFile,
        };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, namespaceName, _) =>
        {
            if (!Uri.TryCreate(parse.GetValue(coordinatorUrl), UriKind.Absolute, out var url))
            {
                throw new ArgumentException($"--coordinator-url '{parse.GetValue(coordinatorUrl)}' is not an absolute URL");
            }

            var pool = await api.Resource(InfrastructureResources.MachineInventoryPools).GetAsync(namespaceName, parse.GetValue(poolArgument)!, ct).ConfigureAwait(false);
            var token = await ReadTokenAsync(api, pool, ct).ConfigureAwait(false);
            var ca = parse.GetValue(caFile) is { } file
                ? file.Exists ? await File.ReadAllTextAsync(file.FullName, ct).ConfigureAwait(false) : throw new ArgumentException($"--ca-file {file.FullName} does not exist")
                : null;
            var staticAddresses = parse.GetValue(addresses) ?? [];
            var wantsStatic = staticAddresses.Length > 0 || parse.GetValue(interfaceName) is not null || parse.GetValue(mac) is not null
                || parse.GetValue(gateway) is not null || (parse.GetValue(dns) ?? []).Length > 0;
            var config = new EnrollmentConfig
            {
                CoordinatorUrl = url,
                CaBundlePem = ca,
                InsecurePlaintext = parse.GetValue(insecure),
                Pool = $"{namespaceName}/{pool.Metadata.Name}",
                PoolToken = token,
                AgentPackage = parse.GetValue(package)!,
                Network = wantsStatic
                    ? new StaticNetwork
                    {
                        InterfaceName = parse.GetValue(interfaceName),
                        MacAddress = parse.GetValue(mac),
                        Addresses = staticAddresses,
                        Gateway = parse.GetValue(gateway),
                        DnsServers = parse.GetValue(dns) ?? [],
                    }
                    : null,
            };
            // The renderers validate everything at once and throw ArgumentException naming each problem (exit 2).
            var rendered = parse.GetValue(kind) == "combustion" ? CombustionScriptRenderer.Render(config) : IgnitionConfigRenderer.Render(config);
            if (parse.GetValue(outputFile) is { } target)
            {
                await WritePrivateFileAsync(target.FullName, rendered, ct).ConfigureAwait(false);
                await context.Output.WriteLineAsync($"enrollment for pool {config.Pool} written to {target.FullName}").ConfigureAwait(false);
            }
            else
            {
                await context.Output.WriteAsync(rendered).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<string> ReadTokenAsync(KubeClient api, MachineInventoryPool pool, CancellationToken ct)
    {
        var secretName = PoolTokens.SecretName(pool);
        return await PoolTokens.ReadAsync(api.Resource(KubeResources.Secrets), pool, ct).ConfigureAwait(false) switch
        {
            (false, _) => throw new KubeNotFoundException($"pool {pool.Metadata.Namespace}/{pool.Metadata.Name} has no registration token Secret {secretName} yet (the coordinator creates it; or run 'pools token {pool.Metadata.Name}')"),
            (true, null) => throw new KubeNotFoundException($"Secret {pool.Metadata.Namespace}/{secretName} has no key '{PoolTokens.SecretKey(pool)}' with the pool's registration token"),
            (true, { } token) => token,
        };
    }

    // The output holds the pool token: created 0600 before anything is written, renamed into place whole.
    private static async Task WritePrivateFileAsync(string path, string text, CancellationToken ct)
    {
        var temporary = path + ".tmp-" + Environment.ProcessId;
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            await using (var stream = new FileStream(temporary, options))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct).ConfigureAwait(false);
                await stream.FlushAsync(ct).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
