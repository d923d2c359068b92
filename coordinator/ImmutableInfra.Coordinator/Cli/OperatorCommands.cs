using System.CommandLine;
using System.Globalization;
using System.Text;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Coordinator.AgentApi;
using ImmutableInfra.Coordinator.Controllers;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Config;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Coordinator.Cli;

/// <summary>
/// The operator's commands: list and show pools, hosts, machines and clusters; cordon and uncordon a host;
/// approve, deny or allow the re-key of a host;
/// create or rotate a pool's registration token; render a pool's enrollment (EnrollmentCommand.cs). Errors
/// name what is wrong and set the exit code.
/// </summary>
internal static partial class OperatorCommands
{
    public static void AddTo(RootCommand root, TextWriter output, TextWriter error)
    {
        var kube = KubeOptions.Create();
        var ns = new Option<string?>("--namespace", "-n") { Description = "namespace (default: the kubeconfig context's, else default)", Recursive = true };
        var format = new Option<string>("--output", "-o") { Description = "table, json or yaml", DefaultValueFactory = _ => "table", Recursive = true };
        root.Options.Add(kube.Kubeconfig);
        root.Options.Add(kube.Context);
        kube.Kubeconfig.Recursive = true;
        kube.Context.Recursive = true;
        root.Options.Add(ns);
        root.Options.Add(format);
        var context = new CliContext(kube, ns, format, output, error);

        var pools = new Command("pools", "MachineInventoryPools: hosts per state, registration tokens");
        pools.Subcommands.Add(List(context, "list", "list pools", PoolTable.Headers, InfrastructureResources.MachineInventoryPools, PoolTable.Row));
        pools.Subcommands.Add(Show(context, "pool", InfrastructureResources.MachineInventoryPools, PoolTable.Headers, PoolTable.Row));
        pools.Subcommands.Add(Token(context));
        pools.Subcommands.Add(RenderEnrollment(context));
        root.Subcommands.Add(pools);

        var hosts = new Command("hosts", "MachineInventories: physical hosts, their state, claim, inventory and disks");
        hosts.Subcommands.Add(List(context, "list", "list hosts", HostTable.Headers, InfrastructureResources.MachineInventories, HostTable.Row));
        hosts.Subcommands.Add(ShowHost(context));
        hosts.Subcommands.Add(Cordon(context, "cordon", true));
        hosts.Subcommands.Add(Cordon(context, "uncordon", false));
        hosts.Subcommands.Add(Decide(context, "approve",
            "admit a host: a new host of a pool that does not auto-approve, a denied host, or a re-key waiting for approval",
            // A host waiting for a re-key is approved for that too; one that waits only for admission opens no re-key window.
            (host, now) => "{\"spec\":{\"approved\":true,\"denied\":null" + (host.Status?.RekeyRequest is null ? string.Empty : ",\"rekeyApprovedAt\":" + Timestamp(now)) + "}}",
            "approved"));
        hosts.Subcommands.Add(Decide(context, "deny",
            "refuse a host: its agent may not sync, and no registrant with its identity is enrolled or re-keyed until it is approved",
            (_, _) => "{\"spec\":{\"approved\":false,\"denied\":true,\"rekeyApprovedAt\":null}}", "denied"));
        hosts.Subcommands.Add(Decide(context, "rekey",
            "let the next registrant with this host's identity have a new credential without the old one (within an hour; once)",
            (_, now) => "{\"spec\":{\"rekeyApprovedAt\":" + Timestamp(now) + "}}", "may be re-keyed once within the hour"));
        root.Subcommands.Add(hosts);

        var machines = new Command("machines", "BaremetalMachines: the CAPI machines and the hosts they claimed");
        machines.Subcommands.Add(List(context, "list", "list machines", MachineTable.Headers, InfrastructureResources.BaremetalMachines, MachineTable.Row));
        machines.Subcommands.Add(Show(context, "machine", InfrastructureResources.BaremetalMachines, MachineTable.Headers, MachineTable.Row));
        root.Subcommands.Add(machines);

        var clusters = new Command("clusters", "BaremetalClusters: control-plane endpoints and VIPs");
        clusters.Subcommands.Add(List(context, "list", "list clusters", ClusterTable.Headers, InfrastructureResources.BaremetalClusters, ClusterTable.Row));
        clusters.Subcommands.Add(Show(context, "cluster", InfrastructureResources.BaremetalClusters, ClusterTable.Headers, ClusterTable.Row));
        root.Subcommands.Add(clusters);
    }

    private static Command List<T>(CliContext context, string name, string description, string[] headers, ResourceDescriptor<T> descriptor, Func<T, DateTimeOffset, string[]> row)
        where T : KubeObject
    {
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "every namespace" };
        var command = new Command(name, description) { all };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, namespaceName, format) =>
        {
            var list = await api.Resource(descriptor).ListAsync(parse.GetValue(all) ? null : namespaceName, null, ct).ConfigureAwait(false);
            var now = DateTimeOffset.UtcNow;
            ObjectPrinter.Print(context.Output, format, list.Items, descriptor.TypeInfo, headers, i => row(i, now), single: false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Show<T>(CliContext context, string what, ResourceDescriptor<T> descriptor, string[] headers, Func<T, DateTimeOffset, string[]> row)
        where T : KubeObject
    {
        var nameArgument = new Argument<string>("name") { Description = $"the {what}'s name" };
        var command = new Command("show", $"show one {what}") { nameArgument };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, namespaceName, format) =>
        {
            var item = await api.Resource(descriptor).GetAsync(namespaceName, parse.GetValue(nameArgument)!, ct).ConfigureAwait(false);
            ObjectPrinter.Print(context.Output, format, [item], descriptor.TypeInfo, headers, i => row(i, DateTimeOffset.UtcNow), single: true);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command ShowHost(CliContext context)
    {
        var nameArgument = new Argument<string>("name") { Description = "the host's MachineInventory name" };
        var command = new Command("show", "show one host with its inventory and disks") { nameArgument };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, namespaceName, format) =>
        {
            var descriptor = InfrastructureResources.MachineInventories;
            var host = await api.Resource(descriptor).GetAsync(namespaceName, parse.GetValue(nameArgument)!, ct).ConfigureAwait(false);
            if (format != OutputFormat.Table)
            {
                ObjectPrinter.Print(context.Output, format, [host], descriptor.TypeInfo, [], _ => [], single: true);
                return ExitCodes.Ok;
            }

            HostTable.Describe(context.Output, host);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Cordon(CliContext context, string name, bool maintenance)
    {
        var nameArgument = new Argument<string>("name") { Description = "the host's MachineInventory name" };
        var command = new Command(name, maintenance
            ? "put a host in Maintenance: it is not claimed (a claimed host keeps its machine)"
            : "end a host's Maintenance: it may be claimed again") { nameArgument };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, namespaceName, _) =>
        {
            var host = parse.GetValue(nameArgument)!;
            await api.Resource(InfrastructureResources.MachineInventories)
                .PatchAsync(namespaceName, host, "{\"spec\":{\"maintenance\":" + (maintenance ? "true" : "false") + "}}", ct).ConfigureAwait(false);
            await context.Output.WriteLineAsync($"host {namespaceName}/{host} {(maintenance ? "cordoned" : "uncordoned")}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>An operator's decision on a host: one merge patch of its spec, built from the time it is made.</summary>
    private static Command Decide(CliContext context, string name, string description, Func<MachineInventory, DateTimeOffset, string> patch, string outcome)
    {
        var nameArgument = new Argument<string>("name") { Description = "the host's MachineInventory name" };
        var command = new Command(name, description) { nameArgument };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, namespaceName, _) =>
        {
            var host = parse.GetValue(nameArgument)!;
            var hosts = api.Resource(InfrastructureResources.MachineInventories);
            var current = await hosts.GetAsync(namespaceName, host, ct).ConfigureAwait(false);
            await hosts.PatchAsync(namespaceName, host, patch(current, DateTimeOffset.UtcNow), ct).ConfigureAwait(false);
            await context.Output.WriteLineAsync($"host {namespaceName}/{host} {outcome}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Timestamp(DateTimeOffset now) => now.UtcDateTime.ToString("'\"'yyyy-MM-dd'T'HH:mm:ss'Z\"'", CultureInfo.InvariantCulture);

    private static Command Token(CliContext context)
    {
        var nameArgument = new Argument<string>("pool") { Description = "the pool's name" };
        var show = new Option<bool>("--show") { Description = "print the token (it is a secret: mind your terminal's history)" };
        var command = new Command("token", "create or rotate a pool's registration token (hosts already enrolled keep their own credentials)") { nameArgument, show };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, namespaceName, _) =>
        {
            var pool = await api.Resource(InfrastructureResources.MachineInventoryPools).GetAsync(namespaceName, parse.GetValue(nameArgument)!, ct).ConfigureAwait(false);
            var secrets = api.Resource(KubeResources.Secrets);
            var secretName = PoolTokens.SecretName(pool);
            var token = PoolTokens.NewToken();
            string verb;
            try
            {
                var secret = await secrets.GetAsync(namespaceName, secretName, ct).ConfigureAwait(false);
                secret.Data ??= [];
                secret.Data[PoolTokens.SecretKey(pool)] = Encoding.UTF8.GetBytes(token);
                await secrets.UpdateAsync(secret, ct).ConfigureAwait(false);
                verb = "rotated";
            }
            catch (KubeNotFoundException)
            {
                await secrets.CreateAsync(MachineInventoryPoolController.TokenSecret(pool, secretName, token), ct).ConfigureAwait(false);
                verb = "created";
            }

            await context.Output.WriteLineAsync($"registration token of pool {namespaceName}/{pool.Metadata.Name} {verb} in Secret {secretName}").ConfigureAwait(false);
            if (parse.GetValue(show))
            {
                await context.Output.WriteLineAsync(token).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>What every operator command needs: the connection, the namespace, the format, and uniform error handling.</summary>
    private sealed class CliContext(KubeOptions kube, Option<string?> ns, Option<string> format, TextWriter output, TextWriter error)
    {
        public TextWriter Output => output;

        public async Task<int> RunAsync(ParseResult parse, Func<KubeClient, string, OutputFormat, Task<int>> action)
        {
            try
            {
                var outputFormat = ObjectPrinter.Parse(parse.GetValue(format)!);
                var settings = kube.Load(parse);
                using var api = new KubeClient(settings, new KubeClientOptions { MaxAttempts = 3, RequestTimeout = TimeSpan.FromSeconds(15) });
                var namespaceName = parse.GetValue(ns) ?? settings.Namespace ?? "default";
                return await action(api, namespaceName, outputFormat).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (KubeNotFoundException e)
            {
                await error.WriteLineAsync($"error: not found: {e.Message}").ConfigureAwait(false);
                return ExitCodes.NotFound;
            }
            catch (Exception e) when (e is KubeApiException or KubeConnectionException or KubeConfigException)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
        }
    }
}

/// <summary>Table columns for pools.</summary>
internal static class PoolTable
{
    public static readonly string[] Headers = ["NAME", "AVAILABLE", "CLAIMED", "PROVISIONED", "OFFLINE", "FAILED", "TOTAL", "AGE"];

    public static string[] Row(MachineInventoryPool pool, DateTimeOffset now)
    {
        var s = pool.Status;
        var claimed = (s?.Claimed ?? 0) + (s?.Provisioning ?? 0) + (s?.Deprovisioning ?? 0);
        return [pool.Metadata.Name ?? string.Empty, N(s?.Available), N(claimed), N(s?.Provisioned), N(s?.Offline), N(s?.Failed), N(s?.Total), Ages.Since(pool.Metadata.CreationTimestamp, now)];
    }

    private static string N(int? value) => (value ?? 0).ToString(CultureInfo.InvariantCulture);
}

/// <summary>Table columns and the detailed view for hosts.</summary>
internal static class HostTable
{
    public static readonly string[] Headers = ["NAME", "STATE", "MACHINE", "CPU", "MEMORY", "DISKS", "AGENT", "AGE", "APPROVAL", "WAITING"];

    public static string[] Row(MachineInventory host, DateTimeOffset now)
    {
        var s = host.Status;
        var inventory = s?.Inventory;
        return
        [
            host.Metadata.Name ?? string.Empty,
            s?.State?.ToApiString() ?? "Unknown",
            s?.Claim?.MachineRef?.Name ?? "-",
            inventory?.Cpu?.Threads?.ToString(CultureInfo.InvariantCulture) ?? "-",
            Bytes(inventory?.Memory?.TotalBytes),
            (inventory?.Disks?.Count ?? 0).ToString(CultureInfo.InvariantCulture),
            s?.AgentVersion ?? "-",
            Ages.Since(host.Metadata.CreationTimestamp, now),
            Approval(host),
            Waiting(host, now),
        ];
    }

    /// <summary>approved, denied, or waiting (for admission).</summary>
    public static string Approval(MachineInventory host) =>
        host.Spec?.Denied == true ? "denied" : host.Spec?.Approved == true ? "approved" : "waiting";

    /// <summary>What the host waits for an operator for, and since when; "-" for nothing.</summary>
    public static string Waiting(MachineInventory host, DateTimeOffset now)
    {
        if (host.Status?.RekeyRequest is { } request)
        {
            var reason = request.Reason ?? string.Empty;
            var cut = reason.IndexOf(';', StringComparison.Ordinal);
            return $"rekey from {request.Source ?? "?"} {Ages.Since(request.RequestedAt, now)} ago: {(cut > 0 ? reason[..cut] : reason)}";
        }

        return host.Spec?.Approved != true && host.Spec?.Denied != true ? "admission: its pool does not auto-approve" : "-";
    }

    public static void Describe(TextWriter output, MachineInventory host)
    {
        var s = host.Status;
        output.WriteLine($"Name:           {host.Metadata.Namespace}/{host.Metadata.Name}");
        output.WriteLine($"State:          {s?.State?.ToApiString() ?? "Unknown"}");
        output.WriteLine($"Pool:           {host.Spec?.PoolRef?.Name ?? "-"}");
        output.WriteLine($"Failure domain: {HostEligibility.FailureDomainOf(host) ?? "-"}");
        output.WriteLine($"Maintenance:    {(host.Spec?.Maintenance == true ? "yes" : "no")}");
        output.WriteLine($"Identity:       uuid={host.Spec?.Identity?.SystemUuid ?? "-"} macs={string.Join(',', host.Spec?.Identity?.Macs ?? [])} serial={host.Spec?.Identity?.Serial ?? "-"}");
        output.WriteLine($"Approval:       {Approval(host)}{(host.Spec?.RekeyApprovedAt is { } rekey ? $" (re-key approved {rekey:O})" : string.Empty)}");
        output.WriteLine($"Credential:     {(s?.CredentialIssuedAt is { } issued ? $"issued {issued:O}" : s?.CredentialHash is null ? "none" : "issued")}");
        if (s?.RekeyRequest is { } request)
        {
            output.WriteLine($"Waiting:        re-key requested {request.RequestedAt:O} from {request.Source}: {request.Reason}");
        }
        output.WriteLine($"Claim:          {(s?.Claim?.MachineRef is { } m ? $"{m.Namespace}/{m.Name}{(s.Claim.Released == true ? " (released, resetting)" : string.Empty)}" : "-")}");
        output.WriteLine($"Agent:          {s?.AgentVersion ?? "-"} phase={s?.AgentPhase ?? "-"} connected={(string.IsNullOrEmpty(s?.ConnectedTo) ? "no" : s.ConnectedTo)}");
        if (s?.Bootstrap is { } b)
        {
            output.WriteLine($"Bootstrap:      step {b.Step}/{b.TotalSteps} {b.StepName} complete={b.Complete == true}");
        }

        if (s?.Vip is { } vip)
        {
            output.WriteLine($"VIP:            {vip.Cluster} vrrp={vip.VrrpState} arbiter={vip.ArbiterState} holder={vip.LeaseHolder} lastFailover={vip.LastFailoverTime:O}");
        }

        var inventory = s?.Inventory;
        output.WriteLine($"System:         {inventory?.System?.Vendor} {inventory?.System?.Product} serial={inventory?.System?.Serial}");
        output.WriteLine($"CPU:            {inventory?.Cpu?.Model} ({inventory?.Cpu?.Threads} threads)");
        output.WriteLine($"Memory:         {Bytes(inventory?.Memory?.TotalBytes)}");
        output.WriteLine($"Addresses:      {string.Join(", ", s?.Addresses ?? [])}");
        output.WriteLine("Disks:");
        ObjectPrinter.PrintTable(output, ["  NAME", "SIZE", "KIND", "OS", "MOUNTED", "BY-ID"], (inventory?.Disks ?? []).Select(d => new[]
        {
            "  " + d.Name, Bytes(d.SizeBytes), d.Transport?.ToString() ?? "-", d.HoldsOs == true ? "yes" : "no", d.Mounted == true ? "yes" : "no", d.ByIdPath ?? "-",
        }).ToList());
        if (s?.Conditions is { Count: > 0 } conditions)
        {
            output.WriteLine("Conditions:");
            foreach (var c in conditions)
            {
                output.WriteLine($"  {c.Type}={c.Status} {c.Reason}: {c.Message}");
            }
        }
    }

    public static string Bytes(long? bytes)
    {
        if (bytes is not { } value)
        {
            return "-";
        }

        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        var size = (double)value;
        var unit = 0;
        while (size >= 1024 && unit < units.Length - 1)
        {
            size /= 1024;
            unit++;
        }

        return size.ToString(unit == 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + units[unit];
    }
}

/// <summary>Table columns for machines.</summary>
internal static class MachineTable
{
    public static readonly string[] Headers = ["NAME", "HOST", "PHASE", "PROVIDERID", "READY", "AGE"];

    public static string[] Row(BaremetalMachine machine, DateTimeOffset now) =>
    [
        machine.Metadata.Name ?? string.Empty,
        machine.Status?.HostRef?.Name ?? "-",
        machine.Status?.Phase?.ToString() ?? "-",
        machine.Spec?.ProviderId ?? "-",
        machine.Status?.GetCondition(ConditionTypes.Ready) is { } ready ? (ready.Status == ConditionStatus.True ? "True" : $"False ({ready.Reason})") : "-",
        Ages.Since(machine.Metadata.CreationTimestamp, now),
    ];
}

/// <summary>Table columns for clusters.</summary>
internal static class ClusterTable
{
    public static readonly string[] Headers = ["NAME", "ENDPOINT", "LB", "VRID", "READY", "AGE"];

    public static string[] Row(BaremetalCluster cluster, DateTimeOffset now) =>
    [
        cluster.Metadata.Name ?? string.Empty,
        cluster.Spec?.ControlPlaneEndpoint is { Host: { } host } e ? $"{host}:{e.Port}" : "-",
        cluster.Spec?.ControlPlaneLoadBalancer?.Type?.ToString() ?? "-",
        cluster.Spec?.ControlPlaneLoadBalancer?.Vrid?.ToString(CultureInfo.InvariantCulture) ?? "-",
        cluster.Status?.GetCondition(ConditionTypes.Ready) is { } ready ? (ready.Status == ConditionStatus.True ? "True" : $"False ({ready.Reason})") : "-",
        Ages.Since(cluster.Metadata.CreationTimestamp, now),
    ];
}
