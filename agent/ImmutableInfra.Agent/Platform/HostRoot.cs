namespace ImmutableInfra.Agent.Platform;

/// <summary>
/// The directory the agent treats as the host's "/" (always "/" in production; a fixture tree in
/// tests). Every host path is resolved through it, and nothing may resolve outside it.
/// </summary>
internal sealed class HostRoot
{
    public HostRoot(string directory)
    {
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    public bool IsRealRoot => Directory == "/";

    /// <summary>
    /// Maps a host-absolute path into the root. ".." segments are normalised lexically first;
    /// a path that would climb above "/" is refused instead of being clamped.
    /// </summary>
    public string Resolve(string hostPath)
    {
        var normalised = Normalise(hostPath);
        return IsRealRoot ? normalised : Directory.TrimEnd('/') + normalised;
    }

    public string? ReadText(string hostPath)
    {
        var path = Resolve(hostPath);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public string? ReadTrimmed(string hostPath) => ReadText(hostPath)?.Trim();

    public bool Exists(string hostPath)
    {
        var path = Resolve(hostPath);
        return File.Exists(path) || global::System.IO.Directory.Exists(path);
    }

    /// <summary>The raw target of a symlink (as readlink prints it), or null when it is not one.</summary>
    public string? LinkTarget(string hostPath)
    {
        try
        {
            return new FileInfo(Resolve(hostPath)).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Names of the entries of a directory (files, directories, symlinks), sorted; empty when absent.</summary>
    public IReadOnlyList<string> List(string hostPath)
    {
        var path = Resolve(hostPath);
        if (!global::System.IO.Directory.Exists(path))
        {
            return [];
        }

        var names = global::System.IO.Directory.EnumerateFileSystemEntries(path).Select(Path.GetFileName).OfType<string>().ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>Lexically normalises an absolute host path; throws when ".." would leave the root.</summary>
    public static string Normalise(string hostPath)
    {
        if (!hostPath.StartsWith('/'))
        {
            throw new PathEscapeException(hostPath, "path is not absolute");
        }

        var parts = new List<string>();
        foreach (var segment in hostPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (parts.Count == 0)
                {
                    throw new PathEscapeException(hostPath, "path climbs above the root");
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(segment);
        }

        return "/" + string.Join('/', parts);
    }
}
