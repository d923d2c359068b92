using System.Text.RegularExpressions;
using ImmutableInfra.Contract.V1;
using Grpc.Core;
using Status = Grpc.Core.Status;

namespace ImmutableInfra.Coordinator.AgentApi.Registration;

/// <summary>
/// Bounds on what a registrant (or a host's inventory update) may send, checked before anything is written, so a
/// record is never half made and an object never grows past what the API server stores. Counts over a limit are
/// RESOURCE_EXHAUSTED, malformed or over-long fields INVALID_ARGUMENT; each message names the field and the limit.
/// The counts are far above any real host (the largest JBOD servers have ~100 disks).
/// </summary>
internal static partial class RegistrationLimits
{
    public const int MaxDisks = 512;
    public const int MaxPartitionsPerDisk = 128;
    public const int MaxPartitions = 4096;
    public const int MaxSignaturesPerDisk = 32;
    public const int MaxNics = 256;
    public const int MaxAddressesPerNic = 64;
    public const int MaxMacs = 256;
    public const int MaxLabels = 64;

    /// <summary>Names, models, paths and versions: longer ones are not facts from /sys but padding.</summary>
    public const int MaxFieldLength = 1024;

    public const int MaxHostnameLength = 253;

    /// <summary>Checks the request's identity, labels and inventory; throws an RpcException naming the first problem.</summary>
    public static void Check(RegisterRequest request)
    {
        var identity = request.Identity ?? throw Invalid("identity is required");
        Length("identity.system_uuid", identity.SystemUuid, 64);
        Length("identity.serial", identity.Serial, 256);
        Length("identity.hostname", identity.Hostname, MaxHostnameLength);
        Count("identity.macs", identity.Macs.Count, MaxMacs);
        foreach (var mac in identity.Macs)
        {
            Length("identity.macs[]", mac, 64);
        }

        // The record's schema holds these patterns: refuse here with a clear message instead of a 422 after the fact.
        var uuid = Normalize(identity.SystemUuid);
        if (uuid.Length > 0 && !UuidPattern().IsMatch(uuid))
        {
            throw Invalid($"identity.system_uuid \"{uuid}\" is not a UUID (8-4-4-4-12 hex digits)");
        }

        foreach (var mac in identity.Macs.Select(Normalize).Where(m => m.Length > 0))
        {
            if (!MacPattern().IsMatch(mac))
            {
                throw Invalid($"identity.macs \"{mac}\" is not a MAC address (six colon-separated hex pairs)");
            }
        }

        Length("agent_version", request.AgentVersion, 128);
        Count("labels", request.Labels.Count, MaxLabels);
        if (request.Inventory is { } inventory)
        {
            Check(inventory);
        }
    }

    /// <summary>Checks a host inventory (at Register and in a Sync inventory update).</summary>
    public static void Check(HostInventory inventory)
    {
        Count("inventory.disks", inventory.Disks.Count, MaxDisks);
        Count("inventory.nics", inventory.Nics.Count, MaxNics);
        Count("inventory.disks[].partitions (all disks)", inventory.Disks.Sum(d => d.Partitions.Count), MaxPartitions);
        if (inventory.System is { } system)
        {
            Strings("inventory.system", system.Vendor, system.Product, system.Serial, system.SystemUuid, system.BiosVersion);
        }

        if (inventory.Cpu is { } cpu)
        {
            Strings("inventory.cpu", cpu.Model, cpu.Architecture);
        }

        if (inventory.Os is { } os)
        {
            Strings("inventory.os", os.Name, os.Version, os.Kernel);
        }

        Length("inventory.fingerprint", inventory.Fingerprint, 256);
        foreach (var nic in inventory.Nics)
        {
            Strings("inventory.nics[]", nic.Name, nic.Mac, nic.Driver);
            Count("inventory.nics[].addresses", nic.Addresses.Count, MaxAddressesPerNic);
            foreach (var address in nic.Addresses)
            {
                Length("inventory.nics[].addresses[]", address, 64);
            }
        }

        foreach (var disk in inventory.Disks)
        {
            Strings("inventory.disks[]", disk.Name, disk.ByIdPath, disk.Model, disk.Serial, disk.Wwn);
            Count("inventory.disks[].partitions", disk.Partitions.Count, MaxPartitionsPerDisk);
            Count("inventory.disks[].signatures", disk.Signatures.Count, MaxSignaturesPerDisk);
            foreach (var signature in disk.Signatures)
            {
                Length("inventory.disks[].signatures[]", signature, 256);
            }

            foreach (var partition in disk.Partitions)
            {
                Strings("inventory.disks[].partitions[]", partition.Name, partition.Filesystem, partition.Label, partition.Mountpoint);
            }
        }
    }

    /// <summary>The form identity facts are stored and matched in: trimmed, lower case.</summary>
    public static string Normalize(string value) => value.Trim().ToLowerInvariant();

    private static void Strings(string where, params ReadOnlySpan<string> values)
    {
        foreach (var value in values)
        {
            Length(where, value, MaxFieldLength);
        }
    }

    private static void Length(string field, string value, int limit)
    {
        if (value.Length > limit)
        {
            throw Invalid($"{field} is {value.Length} characters long; the limit is {limit}");
        }
    }

    private static void Count(string field, int count, int limit)
    {
        if (count > limit)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"{field}: {count} entries; the limit is {limit}"));
        }
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex UuidPattern();

    [GeneratedRegex("^([0-9a-f]{2}:){5}[0-9a-f]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex MacPattern();
}
