using System.Text.Json;
using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Bootstrap;

/// <summary>
/// Records completed bootstrap steps under the state directory, keyed by machine uid and data
/// SHA-256, so a restarted agent resumes after the last completed step instead of repeating it.
/// </summary>
internal sealed class BootstrapJournal(string stateDir)
{

    private readonly string _directory = Path.Combine(stateDir, "bootstrap");

    /// <summary>The entry for exactly this machine and data, or a fresh one; an entry for other data is ignored.</summary>
    public BootstrapJournalEntry Open(string machineUid, string dataSha256, int totalSteps)
    {
        var fresh = new BootstrapJournalEntry(machineUid, dataSha256, totalSteps, 0, string.Empty);
        var path = PathFor(machineUid, dataSha256);
        if (!File.Exists(path))
        {
            return fresh;
        }

        try
        {
            var entry = JsonSerializer.Deserialize(File.ReadAllBytes(path), BootstrapJournalJsonContext.Default.BootstrapJournalEntry);
            // The step plan is derived from the data, so a matching hash means a matching plan.
            return entry is not null && entry.MachineUid == machineUid && entry.DataSha256 == dataSha256 && entry.TotalSteps == totalSteps
                ? entry
                : fresh;
        }
        catch (JsonException)
        {
            // Writes are atomic, so this is damage from outside; starting over is the safe answer.
            return fresh;
        }
    }

    public void Save(BootstrapJournalEntry entry)
    {
        AtomicFileWriter.WriteOwnerOnly(PathFor(entry.MachineUid, entry.DataSha256),
            JsonSerializer.SerializeToUtf8Bytes(entry, BootstrapJournalJsonContext.Default.BootstrapJournalEntry));
    }

    /// <summary>Forgets every bootstrap (on reset: the next provision of the host starts from scratch).</summary>
    public void Clear()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    public string PathFor(string machineUid, string dataSha256) =>
        Path.Combine(_directory, $"{SafeName(machineUid)}-{SafeName(dataSha256)}.json");

    // Uids and hashes are [0-9a-f-]; anything else is replaced so a hostile uid cannot leave the directory.
    private static string SafeName(string value) =>
        new([.. value.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_')]);
}
