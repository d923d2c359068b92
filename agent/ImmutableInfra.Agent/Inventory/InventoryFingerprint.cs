using System.Security.Cryptography;
using ImmutableInfra.Contract.V1;
using Google.Protobuf;

namespace ImmutableInfra.Agent.Inventory;

/// <summary>
/// SHA-256 over the protobuf encoding of the inventory with its fingerprint cleared. HostInventory
/// has no map fields, so Google.Protobuf writes it in field-number order: the bytes are canonical.
/// </summary>
internal static class InventoryFingerprint
{
    public static string Compute(HostInventory inventory)
    {
        var copy = inventory.Clone();
        copy.Fingerprint = string.Empty;
        return Convert.ToHexStringLower(SHA256.HashData(copy.ToByteArray()));
    }
}
