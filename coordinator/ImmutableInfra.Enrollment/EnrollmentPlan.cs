using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ImmutableInfra.Enrollment;

/// <summary>
/// A validated <see cref="EnrollmentConfig"/> turned into the files to write and the package to install,
/// so the Ignition and Combustion renderers write exactly the same things.
/// </summary>
internal sealed partial class EnrollmentPlan
{
    public const string AgentConfigPath = "/etc/immutableinfra/agent.yaml";
    public const string CaPath = "/etc/immutableinfra/ca.pem";
    public const string KeyfilePath = "/etc/NetworkManager/system-connections/immutableinfra-static.nmconnection";
    public const string AgentUnit = "immutableinfra-agent.service";
    public const string AgentBinary = "/usr/bin/immutableinfra-agent";

    private const int MaxTokenLength = 4096;
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode WorldReadable = OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private EnrollmentPlan(IReadOnlyList<HostFile> files, string package, bool packageIsUrl)
    {
        Files = files;
        Package = package;
        PackageIsUrl = packageIsUrl;
    }

    public IReadOnlyList<HostFile> Files { get; }

    /// <summary>The RPM URL (absolute, percent-encoded) or package name to install.</summary>
    public string Package { get; }

    public bool PackageIsUrl { get; }

    /// <summary>Validates every field, collecting all problems; the token's value never appears in a message.</summary>
    public static EnrollmentPlan From(EnrollmentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();
        ValidateCoordinatorUrl(config, problems);
        ValidatePool(config.Pool, problems);
        ValidateToken(config.PoolToken, problems);
        var ca = ValidateCa(config.CaBundlePem, problems);
        var (package, packageIsUrl) = ValidatePackage(config.AgentPackage, problems);
        var network = config.Network is null ? null : ValidateNetwork(config.Network, problems);
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid enrollment config: " + string.Join("; ", problems), nameof(config));
        }

        var files = new List<HostFile> { new(AgentConfigPath, OwnerReadWrite, AgentYaml(config, ca is not null)) };
        if (ca is not null)
        {
            files.Add(new HostFile(CaPath, WorldReadable, ca));
        }

        if (network is not null)
        {
            // NetworkManager ignores keyfiles that others can read.
            files.Add(new HostFile(KeyfilePath, OwnerReadWrite, network.Render()));
        }

        return new EnrollmentPlan(files, package, packageIsUrl);
    }

    private static string AgentYaml(EnrollmentConfig config, bool hasCa)
    {
        var yaml = new StringBuilder()
            .AppendLine("# Written at enrollment by the coordinator's renderer. Holds the pool token: keep it 0600.")
            .Append("coordinatorUrl: ").AppendLine(Quote(config.CoordinatorUrl.AbsoluteUri));
        if (hasCa)
        {
            yaml.Append("caFile: ").AppendLine(Quote(CaPath));
        }

        if (config.InsecurePlaintext)
        {
            yaml.AppendLine("insecure: true");
        }

        return yaml
            .Append("pool: ").AppendLine(Quote(config.Pool))
            .Append("registrationToken: ").AppendLine(Quote(config.PoolToken))
            .ToString();
    }

    /// <summary>A JSON string is a valid YAML double-quoted scalar: no value can break out of its line.</summary>
    private static string Quote(string value) => JsonSerializer.Serialize(value, EnrollmentJsonContext.Default.String);

    private static void ValidateCoordinatorUrl(EnrollmentConfig config, List<string> problems)
    {
        var url = config.CoordinatorUrl;
        if (url is null || !url.IsAbsoluteUri || url.Scheme is not ("https" or "http") || string.IsNullOrEmpty(url.Host))
        {
            problems.Add("CoordinatorUrl must be an absolute https URL");
        }
        else if (url.Scheme == "http" && !config.InsecurePlaintext)
        {
            problems.Add("CoordinatorUrl is plaintext http; use https, or set InsecurePlaintext for a lab");
        }
        else if (url.Scheme == "https" && config.InsecurePlaintext)
        {
            problems.Add("InsecurePlaintext is set but CoordinatorUrl is https");
        }
    }

    private static void ValidatePool(string? pool, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(pool))
        {
            problems.Add("Pool is required (namespace/name of a MachineInventoryPool)");
        }
        else if (pool.Split('/') is not [var ns, var name] || !Dns1123Label().IsMatch(ns) || !Dns1123Subdomain().IsMatch(name))
        {
            problems.Add($"Pool '{pool}' must be namespace/name with lower-case DNS names");
        }
    }

    private static void ValidateToken(string? token, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            problems.Add("PoolToken is required");
        }
        else if (token.Length > MaxTokenLength)
        {
            problems.Add($"PoolToken is longer than {MaxTokenLength} characters");
        }
        else if (token.Any(char.IsControl) || token.Trim().Length != token.Length)
        {
            problems.Add("PoolToken contains control characters or surrounding white space");
        }
    }

    private static string? ValidateCa(string? pem, List<string> problems)
    {
        if (pem is null)
        {
            return null;
        }

        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPem(pem);
            var count = certificates.Count;
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }

            if (count == 0)
            {
                problems.Add("CaBundlePem holds no PEM certificate");
                return null;
            }
        }
        catch (CryptographicException e)
        {
            problems.Add($"CaBundlePem is not a valid PEM certificate bundle: {e.Message}");
            return null;
        }

        var normalized = pem.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        return normalized + "\n";
    }

    private static (string Package, bool IsUrl) ValidatePackage(string? package, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(package))
        {
            problems.Add("AgentPackage is required (an http(s) URL of the RPM or a package name)");
            return (string.Empty, false);
        }

        if (package.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(package, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http")
                || string.IsNullOrEmpty(url.Host) || package.Any(char.IsWhiteSpace) || !url.AbsolutePath.EndsWith(".rpm", StringComparison.Ordinal))
            {
                problems.Add($"AgentPackage '{package}' is not an http(s) URL of an .rpm file");
                return (string.Empty, false);
            }

            return (url.AbsoluteUri, true);
        }

        if (!PackageName().IsMatch(package))
        {
            problems.Add($"AgentPackage '{package}' is neither a URL nor a package name");
        }

        return (package, false);
    }

    private static NetworkManagerKeyfile? ValidateNetwork(StaticNetwork network, List<string> problems)
    {
        var before = problems.Count;
        if (network.InterfaceName is null && network.MacAddress is null)
        {
            problems.Add("Network needs InterfaceName or MacAddress to say which NIC it configures");
        }

        if (network.InterfaceName is { } name && !InterfaceName().IsMatch(name))
        {
            problems.Add($"Network.InterfaceName '{name}' is not a valid interface name (1-15 characters, no '/', ':' or spaces)");
        }

        if (network.MacAddress is { } mac && !MacAddress().IsMatch(mac))
        {
            problems.Add($"Network.MacAddress '{mac}' is not a MAC address like 52:54:00:12:34:56");
        }

        var addresses = new List<(IPAddress Address, int Prefix)>();
        if (network.Addresses is null || network.Addresses.Count == 0)
        {
            problems.Add("Network.Addresses needs at least one address with prefix length (192.0.2.10/24)");
        }
        else
        {
            foreach (var text in network.Addresses)
            {
                if (TryParseCidr(text, out var address, out var prefix))
                {
                    addresses.Add((address, prefix));
                }
                else
                {
                    problems.Add($"Network.Addresses entry '{text}' is not an address with prefix length (192.0.2.10/24, 2001:db8::10/64)");
                }
            }
        }

        IPAddress? gateway = null;
        if (network.Gateway is { } gatewayText)
        {
            if (!IPAddress.TryParse(gatewayText, out gateway))
            {
                problems.Add($"Network.Gateway '{gatewayText}' is not an IP address");
            }
            else if (addresses.Count > 0 && addresses.All(a => a.Address.AddressFamily != gateway.AddressFamily))
            {
                problems.Add($"Network.Gateway '{gatewayText}' has no address of its family to route through");
            }
        }

        var dns = new List<IPAddress>();
        foreach (var server in network.DnsServers ?? [])
        {
            if (IPAddress.TryParse(server, out var address))
            {
                dns.Add(address);
            }
            else
            {
                problems.Add($"Network.DnsServers entry '{server}' is not an IP address");
            }
        }

        return problems.Count > before
            ? null
            : new NetworkManagerKeyfile(network.InterfaceName, network.MacAddress?.ToUpperInvariant(), addresses, gateway, dns);
    }

    private static bool TryParseCidr(string? text, out IPAddress address, out int prefix)
    {
        address = IPAddress.None;
        prefix = 0;
        if (text?.Split('/') is not [var addressText, var prefixText]
            || !IPAddress.TryParse(addressText, out var parsed)
            || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix))
        {
            return false;
        }

        address = parsed;
        var v6 = parsed.AddressFamily == AddressFamily.InterNetworkV6;
        // A /0 host address is never meant. IPAddress also reads "10" as 0.0.0.10: only dotted or colon forms count.
        return prefix > 0 && prefix <= (v6 ? 128 : 32) && addressText.Contains(v6 ? ':' : '.', StringComparison.Ordinal);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$")]
    private static partial Regex PackageName();

    [GeneratedRegex("^[^/:\\s]{1,15}$")]
    private static partial Regex InterfaceName();

    [GeneratedRegex("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$")]
    private static partial Regex MacAddress();
}
