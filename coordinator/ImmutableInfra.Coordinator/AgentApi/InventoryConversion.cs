using ImmutableInfra.Api.V1Beta1;
using Proto = ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Coordinator.AgentApi;

/// <summary>The agent's reports (protobuf) as the API's status types.</summary>
internal static class InventoryConversion
{
    public static HostInventory ToApi(Proto.HostInventory inventory) => new()
    {
        System = inventory.System is { } s
            ? new SystemInfo { Vendor = s.Vendor, Product = s.Product, Serial = s.Serial, SystemUuid = s.SystemUuid, BiosVersion = s.BiosVersion, Virtual = s.Virtual }
            : null,
        Cpu = inventory.Cpu is { } c
            ? new CpuInfo { Model = c.Model, Sockets = (int)c.Sockets, Cores = (int)c.Cores, Threads = (int)c.Threads, Architecture = c.Architecture }
            : null,
        Memory = inventory.Memory is { } m ? new MemoryInfo { TotalBytes = (long)m.TotalBytes } : null,
        Nics = [.. inventory.Nics.Select(n => new NicInfo
        {
            Name = n.Name, Mac = n.Mac, Mtu = (int)n.Mtu, SpeedMbps = (int)n.SpeedMbps, Carrier = n.Carrier, Virtual = n.Virtual,
            Addresses = [.. n.Addresses], Driver = n.Driver,
        })],
        Disks = [.. inventory.Disks.Select(d => new DiskInfo
        {
            Name = d.Name, ByIdPath = NullIfEmpty(d.ByIdPath), SizeBytes = (long)d.SizeBytes, LogicalSectorSize = (int)d.LogicalSectorSize,
            PhysicalSectorSize = (int)d.PhysicalSectorSize, Rotational = d.Rotational, Transport = ToApi(d.Transport), Model = NullIfEmpty(d.Model),
            Serial = NullIfEmpty(d.Serial), Wwn = NullIfEmpty(d.Wwn), Removable = d.Removable, ReadOnly = d.ReadOnly,
            Partitions = [.. d.Partitions.Select(p => new PartitionInfo
            {
                Name = p.Name, SizeBytes = (long)p.SizeBytes, Filesystem = NullIfEmpty(p.Filesystem), Label = NullIfEmpty(p.Label), Mountpoint = NullIfEmpty(p.Mountpoint),
            })],
            Signatures = [.. d.Signatures], Mounted = d.Mounted, HoldsOs = d.HoldsOs,
        })],
        Os = inventory.Os is { } o ? new OsInfo { Name = o.Name, Version = o.Version, Kernel = o.Kernel } : null,
        Fingerprint = NullIfEmpty(inventory.Fingerprint),
    };

    public static VipStatus? ToApi(Proto.VipStatus? vip) => vip is null || vip.Cluster.Length == 0
        ? null
        : new VipStatus
        {
            Cluster = vip.Cluster,
            VrrpState = vip.VrrpState switch
            {
                Proto.VrrpState.Init => VrrpState.Init,
                Proto.VrrpState.Backup => VrrpState.Backup,
                Proto.VrrpState.Master => VrrpState.Master,
                Proto.VrrpState.Fault => VrrpState.Fault,
                Proto.VrrpState.Stopped => VrrpState.Stopped,
                _ => null,
            },
            ArbiterState = NullIfEmpty(vip.ArbiterState),
            LeaseHolder = NullIfEmpty(vip.LeaseHolder),
            LeaseTransitions = vip.LeaseTransitions,
            LastFailoverTime = vip.LastTransitionTime?.ToDateTimeOffset(),
        };

    public static DiskWipeState? ToApi(Proto.DiskWipeState state) => state switch
    {
        Proto.DiskWipeState.Pending => DiskWipeState.Pending,
        Proto.DiskWipeState.Running => DiskWipeState.Running,
        Proto.DiskWipeState.Done => DiskWipeState.Done,
        Proto.DiskWipeState.Skipped => DiskWipeState.Skipped,
        Proto.DiskWipeState.Failed => DiskWipeState.Failed,
        _ => null,
    };

    public static WipePolicy? ToApi(Proto.WipePolicy policy) => policy switch
    {
        Proto.WipePolicy.None => WipePolicy.None,
        Proto.WipePolicy.Metadata => WipePolicy.Metadata,
        Proto.WipePolicy.Full => WipePolicy.Full,
        _ => null,
    };

    public static Proto.WipePolicy ToProto(WipePolicy policy) => policy switch
    {
        WipePolicy.None => Proto.WipePolicy.None,
        WipePolicy.Full => Proto.WipePolicy.Full,
        _ => Proto.WipePolicy.Metadata,
    };

    private static DiskTransport? ToApi(Proto.DiskTransport transport) => transport switch
    {
        Proto.DiskTransport.Nvme => DiskTransport.Nvme,
        Proto.DiskTransport.Sata => DiskTransport.Sata,
        Proto.DiskTransport.Sas => DiskTransport.Sas,
        Proto.DiskTransport.Virtio => DiskTransport.Virtio,
        Proto.DiskTransport.Usb => DiskTransport.Usb,
        Proto.DiskTransport.Scsi => DiskTransport.Scsi,
        Proto.DiskTransport.Mmc => DiskTransport.Mmc,
        _ => null,
    };

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
