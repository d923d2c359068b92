using System.Text.Json;
using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Dashboard.Fleet;

/// <summary>Turns a MachineInventory as the API returned it into a <see cref="HostView"/>, never throwing.</summary>
internal static class HostDecoder
{
    public const string Undecodable = "Undecodable";

    public static HostView Decode(JsonElement item)
    {
        var meta = ObjectMetadata.Read(item);
        var host = ObjectDecoding.Decode(item, ApiJsonContext.Default.MachineInventory, out var error);
        if (error is not null)
        {
            return new HostView(meta, error) { State = Undecodable, Pool = RawPool(item), SearchText = meta.Name.ToLowerInvariant() };
        }

        var status = host?.Status;
        var spec = host?.Spec;
        var inventory = status?.Inventory;
        var wipes = status?.Wipe?.Disks ?? [];
        var disks = (inventory?.Disks ?? []).Select(d =>
        {
            var wipe = wipes.Find(w => w.Disk is { } name && (name == d.ByIdPath || name == d.Name));
            return new DiskView(
                d.Name ?? "?", d.ByIdPath, DiskKind(d), d.SizeBytes, d.Model, d.HoldsOs == true,
                wipe?.State?.ToString(), wipe?.Policy?.ToString(), wipe?.BytesDone, wipe?.BytesTotal, wipe?.Reason);
        }).ToList();
        var claim = status?.Claim;
        var view = new HostView(meta, null)
        {
            Pool = spec?.PoolRef?.Name ?? string.Empty,
            State = status?.State?.ToString() ?? "Unknown",
            Hostname = status?.Hostname,
            MachineNamespace = claim?.MachineRef?.Namespace ?? (claim?.MachineRef is null ? null : meta.Namespace),
            MachineName = claim?.MachineRef?.Name,
            Cluster = claim?.Cluster,
            ControlPlane = claim?.ControlPlane == true,
            Released = claim?.Released == true,
            Threads = inventory?.Cpu?.Threads,
            Cores = inventory?.Cpu?.Cores,
            CpuModel = inventory?.Cpu?.Model,
            MemoryBytes = inventory?.Memory?.TotalBytes,
            Disks = disks,
            Addresses = status?.Addresses ?? [],
            AgentVersion = status?.AgentVersion,
            AgentPhase = status?.AgentPhase,
            FailureReason = status?.FailureReason,
            Os = inventory?.Os is { } os ? $"{os.Name} {os.Version}".Trim() : null,
            System = inventory?.System is { } sys ? $"{sys.Vendor} {sys.Product}".Trim() : null,
            BootstrapStep = status?.Bootstrap is { Step: { } step, TotalSteps: { } total } b ? $"{step}/{total} {b.StepName}".Trim() : null,
            WipeStep = status?.Wipe?.Step,
            KubernetesVersions = ReadKubernetesVersions(status?.ExtensionData),
            LastSeen = status?.LastSeen,
            ConnectedTo = status?.ConnectedTo,
            Maintenance = spec?.Maintenance == true,
            Vip = status?.Vip,
            Conditions = ConditionView.From(status?.Conditions),
        };
        return view with { SearchText = SearchText(view, inventory?.System?.Serial) };
    }

    /// <summary>The pool of a host whose body does not decode, if its <c>spec.poolRef.name</c> is still a string.</summary>
    private static string RawPool(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("spec", out var spec) && spec.ValueKind == JsonValueKind.Object
            && spec.TryGetProperty("poolRef", out var poolRef) && poolRef.ValueKind == JsonValueKind.Object
            && poolRef.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()!
            : string.Empty;

    private static string DiskKind(Api.V1Beta1.DiskInfo disk) => disk.Transport switch
    {
        DiskTransport.Nvme => "NVMe",
        _ when disk.Rotational == true => "HDD",
        DiskTransport.Usb => "USB",
        DiskTransport.Virtio => "virtio",
        null when disk.Rotational is null => "disk",
        _ => "SSD",
    };

    /// <summary>
    /// Agents do not report Kubernetes versions yet; a status that carries <c>kubernetesVersions: {cached: [...],
    /// active: ...}</c> (the shape proposed for it) is shown, anything else is "not reported".
    /// </summary>
    private static KubernetesVersionsView? ReadKubernetesVersions(Dictionary<string, JsonElement>? extension)
    {
        if (extension?.GetValueOrDefault("kubernetesVersions") is not { ValueKind: JsonValueKind.Object } versions)
        {
            return null;
        }

        var cached = versions.TryGetProperty("cached", out var c) && c.ValueKind == JsonValueKind.Array
            ? c.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : [];
        var active = versions.TryGetProperty("active", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        return new KubernetesVersionsView(cached, active);
    }

    private static string SearchText(HostView host, string? serial) =>
        string.Join(' ', new[] { host.Metadata.Name, host.Hostname, host.MachineName, host.Cluster, serial, host.AgentVersion }
            .Concat(host.Addresses).Where(s => !string.IsNullOrEmpty(s))).ToLowerInvariant();
}
