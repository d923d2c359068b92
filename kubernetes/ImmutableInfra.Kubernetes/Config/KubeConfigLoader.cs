using System.Text;

namespace ImmutableInfra.Kubernetes.Config;

/// <summary>
/// Loads kubeconfig files as kubectl does: an explicit path, else every path in <c>KUBECONFIG</c> merged
/// (the first file to set a map key wins), else <c>~/.kube/config</c>.
/// </summary>
/// <param name="environment">Environment variable lookup (a seam so tests need no process environment).</param>
/// <param name="readFile">File reader (a seam; defaults to the file system).</param>
public sealed class KubeConfigLoader(Func<string, string?> environment, Func<string, byte[]>? readFile = null)
{
    private readonly Func<string, byte[]> _readFile = readFile ?? File.ReadAllBytes;

    /// <summary>A loader over the real process environment and file system.</summary>
    public static KubeConfigLoader FromProcess() => new(Environment.GetEnvironmentVariable);

    /// <summary>Resolves the connection for <paramref name="context"/> (or the current context).</summary>
    public KubeConnectionSettings Load(string? context = null, string? explicitPath = null)
    {
        var files = Paths(explicitPath).Select(ParseFile).OfType<KubeConfigFile>().ToList();
        if (files.Count == 0)
        {
            throw new KubeConfigException("no kubeconfig file found (KUBECONFIG, ~/.kube/config)");
        }

        var contextName = context ?? files.Select(f => f.CurrentContext).FirstOrDefault(c => c is not null)
            ?? throw new KubeConfigException("current-context: not set and no --context given");
        var contextEntry = First(files, f => f.Contexts, contextName)
            ?? throw new KubeConfigException($"contexts: no context named \"{contextName}\"");
        var clusterName = contextEntry.Scalar("cluster")
            ?? throw new KubeConfigException($"{contextEntry.Describe("cluster")}: required");
        var cluster = First(files, f => f.Clusters, clusterName)
            ?? throw new KubeConfigException($"{contextEntry.Describe("cluster")}: no cluster named \"{clusterName}\"");
        var userName = contextEntry.Scalar("user");
        var user = userName is null ? null : First(files, f => f.Users, userName)
            ?? throw new KubeConfigException($"{contextEntry.Describe("user")}: no user named \"{userName}\"");

        return Resolve(cluster, user, contextEntry.Scalar("namespace"));
    }

    private IEnumerable<string> Paths(string? explicitPath)
    {
        if (explicitPath is not null)
        {
            return [explicitPath];
        }

        var variable = environment("KUBECONFIG");
        if (!string.IsNullOrEmpty(variable))
        {
            return variable.Split(':', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal);
        }

        var home = environment("HOME");
        return home is null ? [] : [Path.Combine(home, ".kube", "config")];
    }

    private KubeConfigFile? ParseFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = _readFile(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // kubectl skips KUBECONFIG entries that do not exist.
            return null;
        }

        return KubeConfigFile.Parse(path, Encoding.UTF8.GetString(bytes));
    }

    private static KubeConfigEntry? First(List<KubeConfigFile> files, Func<KubeConfigFile, List<KubeConfigEntry>> select, string name) =>
        files.SelectMany(select).FirstOrDefault(e => e.Name == name);

    private KubeConnectionSettings Resolve(KubeConfigEntry cluster, KubeConfigEntry? user, string? ns)
    {
        var serverText = cluster.Scalar("server") ?? throw new KubeConfigException($"{cluster.Describe("server")}: required");
        if (!Uri.TryCreate(serverText, UriKind.Absolute, out var server) || (server.Scheme != "https" && server.Scheme != "http"))
        {
            throw new KubeConfigException($"{cluster.Describe("server")}: not an http(s) URL");
        }

        var insecureText = cluster.Scalar("insecure-skip-tls-verify");
        var insecure = false;
        if (insecureText is not null && !bool.TryParse(insecureText, out insecure))
        {
            throw new KubeConfigException($"{cluster.Describe("insecure-skip-tls-verify")}: not a boolean");
        }

        var ca = DataOrFile(cluster, "certificate-authority-data", "certificate-authority");
        string? cert = null, key = null, token = null, tokenFile = null;
        if (user is not null)
        {
            if (user.Has("exec") || user.Has("auth-provider"))
            {
                throw new KubeConfigException($"{user.Describe(user.Has("exec") ? "exec" : "auth-provider")}: not supported");
            }

            cert = DataOrFile(user, "client-certificate-data", "client-certificate");
            key = DataOrFile(user, "client-key-data", "client-key");
            if ((cert is null) != (key is null))
            {
                throw new KubeConfigException($"{user.Describe(cert is null ? "client-certificate-data" : "client-key-data")}: required with the client {(cert is null ? "key" : "certificate")}");
            }

            token = user.Scalar("token");
            var tokenPath = user.Scalar("tokenFile");
            tokenFile = tokenPath is null ? null : Path.Combine(user.File.Directory, tokenPath);
        }

        return new KubeConnectionSettings
        {
            Server = server,
            CertificateAuthorityPem = ca,
            InsecureSkipTlsVerify = insecure,
            ClientCertificatePem = cert,
            ClientKeyPem = key,
            Token = token,
            TokenFile = tokenFile,
            Namespace = ns,
        };
    }

    private string? DataOrFile(KubeConfigEntry entry, string dataKey, string fileKey)
    {
        var data = entry.Scalar(dataKey);
        if (data is not null)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            catch (FormatException e)
            {
                throw new KubeConfigException($"{entry.Describe(dataKey)}: not valid base64", e);
            }
        }

        var file = entry.Scalar(fileKey);
        if (file is null)
        {
            return null;
        }

        // Relative paths are relative to the kubeconfig file that names them, as in kubectl.
        var full = Path.Combine(entry.File.Directory, file);
        try
        {
            return Encoding.UTF8.GetString(_readFile(full));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"{entry.Describe(fileKey)}: cannot read {full}: {e.Message}", e);
        }
    }
}
