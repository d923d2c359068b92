using System.Text.Json;
using System.Text.Json.Serialization;
using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Configuration;

/// <summary>
/// Keeps this host's enrollment (credential plus the MachineInventory it names) under the state
/// directory, mode 0600, written atomically so a crash leaves the old enrollment or the new one.
/// </summary>
internal sealed class CredentialStore(string stateDir)
{
    private const long MaxFileBytes = 64 * 1024;

    public string Path { get; } = global::System.IO.Path.Combine(stateDir, "credential");

    public void Save(Enrollment enrollment)
    {
        AtomicFileWriter.WriteOwnerOnly(Path, JsonSerializer.SerializeToUtf8Bytes(enrollment, EnrollmentJsonContext.Default.Enrollment));
    }

    /// <summary>The stored enrollment, or null when there is none (or it is unreadable: enrolling again is the remedy).</summary>
    public Enrollment? Load()
    {
        var file = new FileInfo(Path);
        if (!file.Exists || file.Length > MaxFileBytes)
        {
            return null;
        }

        try
        {
            var enrollment = JsonSerializer.Deserialize(File.ReadAllBytes(Path), EnrollmentJsonContext.Default.Enrollment);
            return enrollment is { Credential.Length: > 0, Namespace.Length: > 0, InventoryName.Length: > 0 } ? enrollment : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Forgets the credential (the coordinator revoked it); the next start enrolls again.</summary>
    public void Delete() => File.Delete(Path);
}

/// <summary>What Register returned: the host's MachineInventory and its credential. ToString never shows the credential.</summary>
internal sealed record Enrollment(string Namespace, string InventoryName, string Credential)
{
    public override string ToString() => $"{Namespace}/{InventoryName}";
}

/// <summary>Source-generated JSON for the enrollment file (NativeAOT: no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Enrollment))]
internal sealed partial class EnrollmentJsonContext : JsonSerializerContext;
