using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ImmutableInfra.KubeApiServer;
using ImmutableInfra.Packaging.Tests.Manifests;
using Xunit.Abstractions;

namespace ImmutableInfra.Packaging.Tests.Release;

/// <summary>What scripts/release.sh produced on a clean clone: every artifact, checksummed, at one version.</summary>
[Collection(ReleaseGroup.Name)]
public sealed partial class ReleaseArtifactTests(ReleaseFixture release, ITestOutputHelper output)
{
    private const string Registry = "registry.example.internal/immutableinfra-coordinator";

    private string RepositoryDirectory => Path.Combine(release.Output, $"clusterctl/infrastructure-immutableinfra/v{release.Version}");

    private string Components => File.ReadAllText(Path.Combine(RepositoryDirectory, "infrastructure-components.yaml"));

    [Fact]
    public void Sha256Sums_ListsEveryArtifact_AndVerifies()
    {
        var listed = File.ReadAllLines(Path.Combine(release.Output, "SHA256SUMS")).Select(l => l.Split("  ", 2)[1]).ToList();
        var v = release.Version;

        Assert.Equal(
            [
                "RELEASE-NOTES.md",
                $"clusterctl/infrastructure-immutableinfra/v{v}/cluster-template-external-lb.yaml",
                $"clusterctl/infrastructure-immutableinfra/v{v}/cluster-template.yaml",
                $"clusterctl/infrastructure-immutableinfra/v{v}/infrastructure-components.yaml",
                $"clusterctl/infrastructure-immutableinfra/v{v}/metadata.yaml",
                $"immutableinfra-agent-{v}-1.aarch64.rpm",
                $"immutableinfra-agent-{v}-1.x86_64.rpm",
                $"immutableinfra-coordinator-{v}.oci.tar",
                "linux-amd64/kubectl-baremetal",
                "linux-arm64/kubectl-baremetal",
                $"sbom/immutableinfra-agent-{v}-1.aarch64.rpm.spdx.json",
                $"sbom/immutableinfra-agent-{v}-1.x86_64.rpm.spdx.json",
                $"sbom/immutableinfra-coordinator-{v}-linux-amd64.spdx.json",
                $"sbom/immutableinfra-coordinator-{v}-linux-arm64.spdx.json",
            ],
            listed);
        // As an operator checks a download: in its directory, paths relative to it.
        var check = Command.Run("sh", ["-c", "cd \"$1\" && sha256sum --strict -c SHA256SUMS", "sh", release.Output], TimeSpan.FromMinutes(2));
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains(release.Digest, File.ReadAllText(Path.Combine(release.Output, "RELEASE-NOTES.md")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x86_64")]
    [InlineData("aarch64")]
    public void Rpm_CarriesTheReleaseVersion_ItsArchitecture_AndTheLicence(string arch)
    {
        var info = Command.Check("rpm", "-qip", release.Rpm(arch));

        Assert.Equal(release.Version, Field(info, "Version"));
        Assert.Equal(arch, Field(info, "Architecture"));
        Assert.Equal("Apache-2.0", Field(info, "License"));
        Assert.Contains("/usr/share/licenses/immutableinfra-agent/LICENSE", Command.Check("rpm", "-qlp", release.Rpm(arch)), StringComparison.Ordinal);
        // The binary's own architecture, not only the package's label.
        var machine = arch == "x86_64" ? "Advanced Micro Devices X86-64" : "AArch64";
        Assert.Contains(machine, Command.Check("readelf", "-h", release.AgentBinary(arch == "x86_64" ? "amd64" : "arm64")), StringComparison.Ordinal);
    }

    [Fact]
    public void OneVersion_OnTheImage_TheComponents_TheCli_TheMetadata_AndTheAgentBinary()
    {
        var v = release.Version;
        var revision = Command.Check("git", "-C", release.Clone, "rev-parse", "HEAD").Trim();
        var label = (string?)OciImage.Config(release.ImageArchive, v, "amd64")["config"]!["Labels"]!["org.opencontainers.image.version"];
        var image = ImageLine().Match(Components).Groups["image"].Value;
        var cli = Command.Check(Path.Combine(release.Output, "linux-amd64/kubectl-baremetal"), "--version").Trim();
        var series = YamlDocuments.Load(File.ReadAllText(Path.Combine(RepositoryDirectory, "metadata.yaml")))[0]["releaseSeries"]!.AsArray();
        var agent = File.ReadAllText(release.AgentBinary("amd64"), System.Text.Encoding.Latin1);

        Assert.Equal(v, label);
        Assert.Equal($"${{IMMUTABLEINFRA_COORDINATOR_REPOSITORY:=immutableinfra-coordinator}}:{v}@{release.Digest}", image);
        Assert.Equal($"{v}+{revision}", cli);
        Assert.Contains(series, s => $"{s!["major"]}.{s["minor"]}" == string.Join('.', v.Split('.')[..2]));
        // What the agent reports in Register (its informational version).
        Assert.Contains($"{v}+{revision}", agent, StringComparison.Ordinal);
    }

    [Fact]
    public void Components_KeepTheRbacDerivedFromTheCoordinatorsCalls()
    {
        static IEnumerable<string> Roles(string yaml) => YamlDocuments.Load(yaml)
            .Where(d => (string?)d["kind"] is "ClusterRole" or "Role" or "ClusterRoleBinding" or "RoleBinding")
            .Select(d => d.ToJsonString());

        // RbacCoverageTests derives packaging/manifests/rbac.yaml from the lab's calls; the release ships exactly it.
        Assert.Equal(Roles(File.ReadAllText(Repository.Path("packaging/manifests/rbac.yaml"))), Roles(Components));
    }

    [Fact]
    public async Task Components_WithTheImageAndEveryVariableSubstituted_ApplyWithKubectl()
    {
        var rendered = TemplateVariables.Substitute(Components, new Dictionary<string, string> { ["IMMUTABLEINFRA_COORDINATOR_REPOSITORY"] = Registry });
        Assert.DoesNotContain("${", rendered, StringComparison.Ordinal);
        Assert.Contains($"image: {Registry}:{release.Version}@{release.Digest}\n", rendered, StringComparison.Ordinal);
        var work = Directory.CreateTempSubdirectory("immutableinfra-apply-").FullName;
        var file = Path.Combine(work, "infrastructure-components.yaml");
        await File.WriteAllTextAsync(file, rendered);

        await using var server = await InMemoryKubeApiServer.StartAsync(new InMemoryKubeApiServerOptions { IncludeCapiCrds = false });
        var kubeconfig = Path.Combine(work, "kubeconfig");
        server.WriteKubeConfig(kubeconfig);
        var apply = Command.Run("kubectl", ["--kubeconfig", kubeconfig, "apply", "--validate=false", "-f", file], TimeSpan.FromMinutes(2));

        // Tolerated: only kinds the in-memory server does not serve yet (kubectl's "no matches for kind").
        var errors = apply.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("Warning:", StringComparison.Ordinal) && l != "ensure CRDs are installed first")
            .ToList();
        var unserved = errors.Select(e => NotServed().Match(e)).ToList();
        Assert.True(unserved.All(m => m.Success), $"kubectl apply failed for more than unserved kinds:\n{apply.Output}");
        var notApplied = unserved.Select(m => $"{m.Groups["version"].Value} {m.Groups["kind"].Value}").Distinct().Order(StringComparer.Ordinal).ToList();
        output.WriteLine(notApplied.Count == 0 ? "every document applied" : "not applied, kind not served by the in-memory API server: " + string.Join(", ", notApplied));

        var documents = YamlDocuments.Load(rendered);
        var applied = documents.Where(d => !notApplied.Contains($"{d["apiVersion"]} {d["kind"]}")).ToList();
        Assert.Contains(applied, d => (string?)d["kind"] == "CustomResourceDefinition");
        foreach (var document in applied)
        {
            var name = (string)document["metadata"]!["name"]!;
            var ns = (string?)document["metadata"]!["namespace"];
            string[] get = ["--kubeconfig", kubeconfig, "get", Resource(document), name, "-o", "name", .. ns is null ? Array.Empty<string>() : ["-n", ns]];
            Assert.Contains(name, Command.Check("kubectl", get, TimeSpan.FromMinutes(1), null), StringComparison.Ordinal);
        }

        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public void Sbom_OfTheImage_ListsItsDebianPackagesAndNuGetPackages_OfTheRpm_ItsNuGetPackagesAndChecksum()
    {
        var v = release.Version;
        var image = JsonNode.Parse(File.ReadAllText(Path.Combine(release.Output, $"sbom/immutableinfra-coordinator-{v}-linux-arm64.spdx.json")))!;
        var rpm = JsonNode.Parse(File.ReadAllText(Path.Combine(release.Output, $"sbom/immutableinfra-agent-{v}-1.x86_64.rpm.spdx.json")))!;
        static Dictionary<string, string> Packages(JsonNode sbom) => sbom["packages"]!.AsArray()
            .SelectMany(p => p!["externalRefs"]?.AsArray().Select(r => (string)r!["referenceLocator"]!) ?? [])
            .ToDictionary(purl => purl.Split('@')[0], purl => purl.Split('@')[1]);

        var imagePackages = Packages(image);
        var libc = Directory.GetFiles(Path.Combine(release.Environment["DEBS_DIR"], "arm64"), "libc6_*.deb").Single();
        var libcVersion = Command.Check("dpkg-deb", "-f", libc, "Version").Trim();
        Assert.Equal("SPDX-2.3", (string?)image["spdxVersion"]);
        Assert.Equal($"{libcVersion}?arch=arm64&distro=debian-12", imagePackages["pkg:deb/debian/libc6"]);
        Assert.Contains("pkg:deb/debian/libssl3", imagePackages.Keys);
        Assert.Contains("pkg:nuget/YamlDotNet", imagePackages.Keys);
        Assert.Contains("pkg:nuget/Microsoft.AspNetCore.App.Runtime.linux-arm64", imagePackages.Keys);

        var rpmPackages = Packages(rpm);
        Assert.Contains("pkg:nuget/Google.Protobuf", rpmPackages.Keys);
        Assert.Contains("pkg:nuget/Microsoft.NETCore.App.Runtime.NativeAOT.linux-x64", rpmPackages.Keys);
        Assert.DoesNotContain(rpmPackages.Keys, k => k.StartsWith("pkg:deb/", StringComparison.Ordinal) || k.Contains("AspNetCore", StringComparison.Ordinal));
        var described = rpm["packages"]!.AsArray().Single(p => (string?)p!["name"] == "immutableinfra-agent")!;
        Assert.Equal(Sha256(release.Rpm("x86_64")), (string?)described["checksums"]![0]!["checksumValue"]);
        Assert.Equal("Apache-2.0", (string?)described["licenseDeclared"]);
    }

    // Kind.group, as kubectl names a resource unambiguously; the core group has no suffix.
    private static string Resource(JsonObject document)
    {
        var apiVersion = (string)document["apiVersion"]!;
        return apiVersion.Contains('/', StringComparison.Ordinal) ? $"{document["kind"]}.{apiVersion.Split('/')[0]}" : (string)document["kind"]!;
    }

    private static string Field(string info, string name) =>
        Regex.Match(info, $"^{name}\\s*:\\s*(?<value>\\S+)", RegexOptions.Multiline).Groups["value"].Value;

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    [GeneratedRegex(@"^\s+image: (?<image>\S+)$", RegexOptions.Multiline)]
    private static partial Regex ImageLine();

    [GeneratedRegex(@"no matches for kind ""(?<kind>\w+)"" in version ""(?<version>[\w./]+)""")]
    private static partial Regex NotServed();
}
