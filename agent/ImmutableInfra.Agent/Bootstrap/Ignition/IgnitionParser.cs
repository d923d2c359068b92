using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ImmutableInfra.Agent.Bootstrap.Steps;
using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Bootstrap.Ignition;

/// <summary>
/// Turns an Ignition 3.x config into steps: directories, files, links, systemd units and drop-ins,
/// then enabling units. JsonDocument keeps it reflection-free for NativeAOT.
/// </summary>
internal static class IgnitionParser
{
    private const int DefaultFileMode = 420; // 0644
    private const int DefaultDirectoryMode = 493; // 0755

    public static IReadOnlyList<BootstrapStep> Parse(byte[] data)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(data, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            throw new BootstrapParseException($"ignition: invalid JSON at line {e.LineNumber + 1}: {e.Message}");
        }

        using (document)
        {
            try
            {
                return Plan(document.RootElement);
            }
            catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException)
            {
                throw new BootstrapParseException($"ignition: {e.Message}");
            }
        }
    }

    private static List<BootstrapStep> Plan(JsonElement root)
    {
        var version = root.GetProperty("ignition").GetProperty("version").GetString() ?? string.Empty;
        if (!version.StartsWith("3.", StringComparison.Ordinal))
        {
            throw new BootstrapParseException($"ignition: version '{version}' is not supported (3.x only)");
        }

        var steps = new List<BootstrapStep>();
        var storage = Optional(root, "storage");
        foreach (var directory in Array(storage, "directories"))
        {
            steps.Add(new CreateDirectoryStep(PathOf(directory), (UnixFileMode)Int(directory, "mode", DefaultDirectoryMode), Owner(directory)));
        }

        foreach (var file in Array(storage, "files"))
        {
            steps.AddRange(FileSteps(file));
        }

        foreach (var link in Array(storage, "links"))
        {
            var target = link.GetProperty("target").GetString() ?? throw new BootstrapParseException("ignition: link without target");
            steps.Add(new CreateLinkStep(PathOf(link), target, Bool(link, "hard"), Bool(link, "overwrite")));
        }

        foreach (var user in Array(Optional(root, "passwd"), "users"))
        {
            var name = user.GetProperty("name").GetString() ?? string.Empty;
            var keys = Array(user, "sshAuthorizedKeys").Select(k => k.GetString() ?? string.Empty).ToList();
            steps.Add(new CreateUserStep(name, String(user, "shell"), Array(user, "groups").Select(g => g.GetString() ?? string.Empty).ToList()));
            if (keys.Count > 0)
            {
                steps.Add(new AuthorizedKeysStep(name, keys));
            }
        }

        var enable = new List<string>();
        foreach (var unit in Array(Optional(root, "systemd"), "units"))
        {
            var name = unit.GetProperty("name").GetString() ?? throw new BootstrapParseException("ignition: unit without name");
            var unitPath = HostRoot.Normalise("/etc/systemd/system/" + name);
            if (String(unit, "contents") is { } contents)
            {
                steps.Add(new WriteFileStep("systemd", unitPath, Encoding.UTF8.GetBytes(contents), (UnixFileMode)DefaultFileMode, null, append: false));
            }

            foreach (var dropin in Array(unit, "dropins"))
            {
                var dropinName = dropin.GetProperty("name").GetString() ?? throw new BootstrapParseException($"ignition: {name} drop-in without name");
                steps.Add(new WriteFileStep("systemd", HostRoot.Normalise($"{unitPath}.d/{dropinName}"),
                    Encoding.UTF8.GetBytes(String(dropin, "contents") ?? string.Empty), (UnixFileMode)DefaultFileMode, null, append: false));
            }

            if (Bool(unit, "enabled"))
            {
                enable.Add(name);
            }
        }

        // Units are enabled after every file is in place: a unit may need files written above.
        steps.AddRange(enable.Select(u => new EnableUnitStep(u)));
        return steps;
    }

    private static IEnumerable<BootstrapStep> FileSteps(JsonElement file)
    {
        var path = PathOf(file);
        var mode = (UnixFileMode)Int(file, "mode", DefaultFileMode);
        var owner = Owner(file);
        var overwrite = Bool(file, "overwrite");
        var hasContents = file.TryGetProperty("contents", out var contents) && contents.ValueKind == JsonValueKind.Object;
        var appends = Array(file, "append").ToList();
        if (hasContents || appends.Count == 0)
        {
            var bytes = hasContents ? Contents(path, contents) : [];
            yield return new WriteFileStep("files", path, bytes, mode, owner, append: false, overwrite: overwrite);
        }

        foreach (var append in appends)
        {
            yield return new WriteFileStep("files", path, Contents(path, append), mode, owner, append: true);
        }
    }

    private static byte[] Contents(string path, JsonElement resource)
    {
        var source = String(resource, "source");
        if (source is null)
        {
            return [];
        }

        var bytes = DataUrl.Decode(path, source);
        return String(resource, "compression") switch
        {
            null or "" => bytes,
            "gzip" => Gunzip(path, bytes),
            var other => throw new BootstrapParseException($"ignition: {path}: compression '{other}' is not supported"),
        };
    }

    private static byte[] Gunzip(string path, byte[] bytes)
    {
        try
        {
            using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            throw new BootstrapParseException($"ignition: {path}: contents are not valid gzip");
        }
    }

    private static string PathOf(JsonElement node)
    {
        var path = node.GetProperty("path").GetString() ?? string.Empty;
        return HostRoot.Normalise(path);
    }

    private static string? Owner(JsonElement node)
    {
        var user = Optional(node, "user");
        var group = Optional(node, "group");
        var userName = NameOrId(user);
        var groupName = NameOrId(group);
        return userName is null && groupName is null ? null : $"{userName ?? "root"}:{groupName ?? string.Empty}";

        static string? NameOrId(JsonElement element) =>
            element.ValueKind != JsonValueKind.Object ? null
            : String(element, "name") ?? (element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetInt32().ToString(global::System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    private static JsonElement Optional(JsonElement node, string name) =>
        node.ValueKind == JsonValueKind.Object && node.TryGetProperty(name, out var value) ? value : default;

    private static List<JsonElement> Array(JsonElement node, string name)
    {
        var value = Optional(node, name);
        return value.ValueKind switch
        {
            JsonValueKind.Array => value.EnumerateArray().ToList(),
            JsonValueKind.Undefined or JsonValueKind.Null => new List<JsonElement>(),
            _ => throw new BootstrapParseException($"ignition: {name} must be an array"),
        };
    }

    private static string? String(JsonElement node, string name)
    {
        var value = Optional(node, name);
        return value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private static bool Bool(JsonElement node, string name) => Optional(node, name).ValueKind == JsonValueKind.True;

    private static int Int(JsonElement node, string name, int fallback)
    {
        var value = Optional(node, name);
        return value.ValueKind == JsonValueKind.Number ? value.GetInt32() : fallback;
    }
}
