using System.Text.Json.Serialization;

namespace ImmutableInfra.Agent.Bootstrap;

/// <summary>
/// What the journal file holds: which data for which machine, how far it got, and whether the
/// sentinel was seen (it lives in /run, which a reboot empties; the journal under /var/lib does not).
/// </summary>
internal sealed record BootstrapJournalEntry(string MachineUid, string DataSha256, int TotalSteps, int CompletedSteps, string LastStepName, bool Succeeded = false);

/// <summary>Source-generated JSON for the journal (NativeAOT: no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(BootstrapJournalEntry))]
internal sealed partial class BootstrapJournalJsonContext : JsonSerializerContext;
