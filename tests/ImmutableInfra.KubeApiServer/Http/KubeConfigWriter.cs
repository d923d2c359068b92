using System.Text;

namespace ImmutableInfra.KubeApiServer.Http;

/// <summary>Writes a one-context kubeconfig that points at the in-memory server.</summary>
internal static class KubeConfigWriter
{
    public static string Render(Uri server, string? certificateAuthorityPem, string? token)
    {
        var text = new StringBuilder();
        text.AppendLine("apiVersion: v1");
        text.AppendLine("kind: Config");
        text.AppendLine("current-context: inmemory");
        text.AppendLine("clusters:");
        text.AppendLine("- name: inmemory");
        text.AppendLine("  cluster:");
        text.AppendLine($"    server: {server.ToString().TrimEnd('/')}");
        if (certificateAuthorityPem is not null)
        {
            text.AppendLine($"    certificate-authority-data: {Convert.ToBase64String(Encoding.UTF8.GetBytes(certificateAuthorityPem))}");
        }

        // A user with no credentials makes kubectl prompt for a username on HTTPS; any token passes when the
        // server accepts anonymous requests.
        text.AppendLine("users:");
        text.AppendLine("- name: inmemory");
        text.AppendLine("  user:");
        text.AppendLine($"    token: {token ?? "anonymous"}");

        text.AppendLine("contexts:");
        text.AppendLine("- name: inmemory");
        text.AppendLine("  context:");
        text.AppendLine("    cluster: inmemory");
        text.AppendLine("    user: inmemory");
        text.AppendLine("    namespace: default");
        return text.ToString();
    }
}
