using System.Text.Json.Nodes;

namespace ImmutableInfra.KubeApiServer.Http;

/// <summary>What /version answers: the Kubernetes minor whose API behaviour this server follows.</summary>
internal static class VersionInfo
{
    public const string GitVersion = "v1.32.0-inmemory";

    public static JsonObject Document() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "none (ImmutableInfra in-memory test server, .NET)",
        ["compiler"] = "dotnet",
        ["platform"] = "linux/amd64",
    };
}
