using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Inventory;

/// <summary>Reads SMBIOS facts from /sys/class/dmi/id.</summary>
internal sealed class DmiReader(HostRoot root)
{
    private const string DmiDirectory = "/sys/class/dmi/id/";

    private static readonly string[] HypervisorVendors =
        ["QEMU", "KVM", "VMware", "innotek", "Xen", "Microsoft Corporation", "Red Hat", "Parallels", "Bochs", "BHYVE", "Amazon EC2", "Google"];

    public SystemInfo Read(bool cpuHasHypervisorFlag)
    {
        var vendor = Field("sys_vendor");
        var product = Field("product_name");
        var isVirtualProduct = product.Contains("Virtual", StringComparison.OrdinalIgnoreCase) || product.StartsWith("KVM", StringComparison.Ordinal);
        return new SystemInfo
        {
            Vendor = vendor,
            Product = product,
            Serial = Field("product_serial"),
            SystemUuid = Field("product_uuid").ToLowerInvariant(),
            BiosVersion = Field("bios_version"),
            Virtual = cpuHasHypervisorFlag || isVirtualProduct
                || HypervisorVendors.Any(v => vendor.StartsWith(v, StringComparison.OrdinalIgnoreCase)),
        };
    }

    private string Field(string name) => root.ReadTrimmed(DmiDirectory + name) ?? string.Empty;
}
