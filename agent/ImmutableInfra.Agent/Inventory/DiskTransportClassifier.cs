using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Inventory;

/// <summary>Decides how a disk is attached from its sysfs device path and its udev ID_BUS/ID_PATH.</summary>
internal static class DiskTransportClassifier
{
    // HBA and RAID drivers whose disks are SAS-attached even where the kernel shows plain SCSI
    // (megaraid_sas JBOD and logical drives expose no SAS transport class).
    private static readonly string[] SasHostDrivers = ["megaraid_sas", "mpt3sas", "mpt2sas", "smartpqi", "hpsa", "aacraid", "mpi3mr"];

    public static DiskTransport Classify(HostRoot root, string name, string devicePath, UdevRecord udev)
    {
        var bus = udev.Get("ID_BUS");
        var idPath = udev.Get("ID_PATH");
        if (name.StartsWith("nvme", StringComparison.Ordinal) || devicePath.Contains("/nvme/", StringComparison.Ordinal))
        {
            return DiskTransport.Nvme;
        }

        if (bus == "usb" || devicePath.Contains("/usb", StringComparison.Ordinal) || idPath.Contains("-usb-", StringComparison.Ordinal))
        {
            return DiskTransport.Usb;
        }

        if (name.StartsWith("vd", StringComparison.Ordinal) || devicePath.Contains("/virtio", StringComparison.Ordinal))
        {
            return DiskTransport.Virtio;
        }

        if (name.StartsWith("mmcblk", StringComparison.Ordinal))
        {
            return DiskTransport.Mmc;
        }

        if (devicePath.Contains("/end_device-", StringComparison.Ordinal) || idPath.Contains("-sas-", StringComparison.Ordinal)
            || root.Exists($"/sys/block/{name}/device/sas_address") || SasHostDrivers.Contains(ScsiHostDriver(root, devicePath)))
        {
            return DiskTransport.Sas;
        }

        if (bus == "ata" || devicePath.Contains("/ata", StringComparison.Ordinal) || idPath.Contains("-ata-", StringComparison.Ordinal))
        {
            return DiskTransport.Sata;
        }

        return bus == "scsi" || devicePath.Contains("/host", StringComparison.Ordinal) ? DiskTransport.Scsi : DiskTransport.Unspecified;
    }

    /// <summary>The driver of the PCI device above the "hostN" segment of a SCSI device path.</summary>
    private static string ScsiHostDriver(HostRoot root, string devicePath)
    {
        var segments = devicePath.Split('/');
        var host = Array.FindIndex(segments, s => s.StartsWith("host", StringComparison.Ordinal) && s.Length > 4 && char.IsAsciiDigit(s[4]));
        var devices = Array.IndexOf(segments, "devices");
        if (host <= 0 || devices < 0 || devices >= host)
        {
            return string.Empty;
        }

        var controller = "/sys/" + string.Join('/', segments[devices..host]);
        var driver = root.LinkTarget(controller + "/driver");
        return driver is null ? string.Empty : Path.GetFileName(driver);
    }
}
