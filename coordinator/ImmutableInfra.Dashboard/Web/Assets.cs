using Microsoft.AspNetCore.Http;

namespace ImmutableInfra.Dashboard.Web;

/// <summary>The page's stylesheet and script, embedded in the binary: the dashboard loads nothing from elsewhere.</summary>
internal static class Assets
{
    private static readonly Dictionary<string, (byte[] Body, string Type)> Files = Load();

    public static IResult Serve(string name) => Files.TryGetValue(name, out var file)
        ? Results.Bytes(file.Body, file.Type)
        : Results.NotFound();

    private static Dictionary<string, (byte[] Body, string Type)> Load()
    {
        var assembly = typeof(Assets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("assets/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var name = resource["assets/".Length..];
            files[name] = (copy.ToArray(), Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            });
        }

        return files;
    }
}
