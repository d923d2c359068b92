namespace ImmutableInfra.Enrollment;

/// <summary>The subset of the Ignition 3.3.0 config schema the enrollment writes.</summary>
internal sealed record IgnitionConfig(IgnitionHeader Ignition, IgnitionStorage Storage, IgnitionSystemd Systemd);

/// <summary>The <c>ignition</c> section: the spec version.</summary>
internal sealed record IgnitionHeader(string Version);

/// <summary>The <c>storage</c> section.</summary>
internal sealed record IgnitionStorage(IReadOnlyList<IgnitionFile> Files);

/// <summary>One file: path, decimal mode, contents as a data: URL.</summary>
internal sealed record IgnitionFile(string Path, int Mode, bool Overwrite, IgnitionFileContents Contents);

/// <summary>A file's contents.</summary>
internal sealed record IgnitionFileContents(string Source);

/// <summary>The <c>systemd</c> section.</summary>
internal sealed record IgnitionSystemd(IReadOnlyList<IgnitionUnit> Units);

/// <summary>One unit, written to /etc/systemd/system and enabled.</summary>
internal sealed record IgnitionUnit(string Name, bool Enabled, string Contents);
