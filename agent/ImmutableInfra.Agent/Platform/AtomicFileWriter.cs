namespace ImmutableInfra.Agent.Platform;

/// <summary>Writes files so a reader (or a crash) sees the old content or the new, never a part.</summary>
internal static class AtomicFileWriter
{
    /// <summary>Writes to a temp file in the same directory, fsyncs it, then renames it into place.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var directory = Path.GetDirectoryName(path) ?? "/";
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = mode,
            }))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            // The create mode is filtered by the umask; set it explicitly so 0644 means 0644.
            File.SetUnixFileMode(temp, mode);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// Writes agent state (credential, acknowledged generation, bootstrap journal): mode 0600, in a
    /// directory created 0700 when missing, so no other local user can read or plant it.
    /// </summary>
    public static void WriteOwnerOnly(string path, ReadOnlySpan<byte> content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path) ?? "/", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Write(path, content, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Appends by writing the old content plus the new atomically.</summary>
    public static void Append(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var existing = File.Exists(path) ? File.ReadAllBytes(path) : [];
        var combined = new byte[existing.Length + content.Length];
        existing.CopyTo(combined, 0);
        content.CopyTo(combined.AsSpan(existing.Length));
        Write(path, combined, mode);
    }
}
