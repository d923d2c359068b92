namespace ImmutableInfra.Enrollment;

/// <summary>A file the enrollment writes on the host.</summary>
internal sealed record HostFile(string Path, UnixFileMode Mode, string Contents)
{
    /// <summary>Mode as the octal number Ignition and chmod take (0600 is 384).</summary>
    public int ModeBits => (int)Mode;

    public string OctalMode => Convert.ToString(ModeBits, 8).PadLeft(4, '0');
}
