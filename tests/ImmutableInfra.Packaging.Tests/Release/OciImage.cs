using System.Text.Json.Nodes;

namespace ImmutableInfra.Packaging.Tests.Release;

/// <summary>The coordinator image archive, read with Debian's skopeo and umoci (tools we did not write).</summary>
internal static class OciImage
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>The reference of the archive's one tagged image (the index).</summary>
    public static string Reference(string archive, string version) => $"oci-archive:{archive}:{version}";

    /// <summary>`skopeo inspect --raw`: the image index.</summary>
    public static JsonNode Index(string archive, string version) =>
        JsonNode.Parse(Command.Check("skopeo", ["inspect", "--raw", Reference(archive, version)], Timeout, null))!;

    /// <summary>`skopeo inspect --config` of one architecture's image: the OCI image configuration.</summary>
    public static JsonNode Config(string archive, string version, string arch) =>
        JsonNode.Parse(Command.Check("skopeo", ["--override-arch", arch, "--override-os", "linux", "inspect", "--config", Reference(archive, version)], Timeout, null))!;

    /// <summary>
    /// One architecture's image as a runtime bundle: skopeo picks the platform's manifest from the index,
    /// umoci unpacks its layers into DIR/rootfs and writes the runtime config (DIR/config.json: entrypoint
    /// and command, environment, user, working directory) from the image configuration.
    /// </summary>
    public static string Unpack(string archive, string version, string arch, string directory)
    {
        var layout = Path.Combine(directory, "layout-" + arch);
        var bundle = Path.Combine(directory, "bundle-" + arch);
        Command.Check("skopeo", ["--override-arch", arch, "--override-os", "linux", "copy", "--quiet", Reference(archive, version), $"oci:{layout}:{arch}"], Timeout, null);
        Command.Check("umoci", ["unpack", "--image", $"{layout}:{arch}", bundle], Timeout, null);
        return bundle;
    }
}
