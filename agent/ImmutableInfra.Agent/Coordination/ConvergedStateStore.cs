using Google.Protobuf;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>
/// Remembers the last acknowledged generation and how it ended (the ObservedState at that moment) in
/// the state directory, so a restarted agent neither repeats finished work nor forgets a failure.
/// </summary>
internal sealed class ConvergedStateStore(string stateDir)
{
    private const long MaxFileBytes = 1024 * 1024;

    public string Path { get; } = global::System.IO.Path.Combine(stateDir, "converged-state.pb");

    public void Save(ObservedState state)
    {
        var stored = state.Clone();
        // Only what the generation produced is durable; addresses and times are re-observed.
        stored.ObservedAt = null;
        stored.Addresses.Clear();
        stored.Hostname = string.Empty;
        AtomicFileWriter.WriteOwnerOnly(Path, stored.ToByteArray());
    }

    /// <summary>The stored state, or a fresh idle one (generation 0) when none is stored or it is unreadable.</summary>
    public ObservedState Load()
    {
        var file = new FileInfo(Path);
        if (file.Exists && file.Length <= MaxFileBytes)
        {
            try
            {
                return ObservedState.Parser.ParseFrom(File.ReadAllBytes(Path));
            }
            catch (InvalidProtocolBufferException)
            {
                // Writes are atomic, so this is outside damage; the coordinator resends what it wants.
            }
        }

        return new ObservedState { Phase = HostPhase.Idle };
    }
}
