using System.Text;
using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Configuration;

/// <summary>Keeps the per-host credential under the state directory, mode 0600, written atomically.</summary>
internal sealed class CredentialStore(string stateDir)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Path { get; } = global::System.IO.Path.Combine(stateDir, "credential");

    public void Save(string credential)
    {
        Directory.CreateDirectory(stateDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        AtomicFileWriter.Write(Path, Encoding.UTF8.GetBytes(credential), OwnerOnly);
    }

    public string? Load() => File.Exists(Path) ? File.ReadAllText(Path).Trim() : null;
}
