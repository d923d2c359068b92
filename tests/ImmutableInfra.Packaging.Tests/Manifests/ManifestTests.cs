using System.Text.Json.Nodes;

namespace ImmutableInfra.Packaging.Tests.Manifests;

public sealed class ManifestTests
{
    public static TheoryData<string> YamlFiles => new(
        new[] { "packaging/manifests", "packaging/clusterctl", "packaging/crds" }
            .SelectMany(d => Directory.GetFiles(Repository.Path(d), "*.yaml"))
            .Select(f => Path.GetRelativePath(Repository.Root, f))
            .Order(StringComparer.Ordinal));

    public static TheoryData<string> Templates => new("cluster-template.yaml", "cluster-template-external-lb.yaml");

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void EveryDocument_ParsesAsYaml_WithApiVersionKindAndName(string file)
    {
        var documents = YamlDocuments.Load(File.ReadAllText(Repository.Path(file)));

        Assert.NotEmpty(documents);
        Assert.All(documents, d =>
        {
            Assert.False(string.IsNullOrEmpty((string?)d["apiVersion"]), $"{file}: a document without apiVersion");
            Assert.False(string.IsNullOrEmpty((string?)d["kind"]), $"{file}: a document without kind");
            if ((string?)d["kind"] != "Metadata")
            {
                Assert.False(string.IsNullOrEmpty((string?)d["metadata"]?["name"]), $"{file}: a {d["kind"]} without a name");
            }
        });
    }

    [Fact]
    public void InfrastructureComponents_IsWhatTheScriptGenerates()
    {
        var generated = Path.Combine(Path.GetTempPath(), $"infrastructure-components-{Guid.NewGuid():N}.yaml");
        try
        {
            Command.Check(Repository.Path("scripts/build-clusterctl-components.sh"), generated);

            Assert.True(
                File.ReadAllText(generated) == File.ReadAllText(Repository.Path("packaging/clusterctl/infrastructure-components.yaml")),
                "packaging/clusterctl/infrastructure-components.yaml is stale: run scripts/build-clusterctl-components.sh and commit it");
        }
        finally
        {
            File.Delete(generated);
        }
    }

    [Fact]
    public void InfrastructureComponents_HoldEveryCrdAndManifest_AndOnlyDefaultedVariables()
    {
        var text = File.ReadAllText(Repository.Path("packaging/clusterctl/infrastructure-components.yaml"));
        var kinds = YamlDocuments.Load(text).Select(d => $"{d["kind"]}/{d["metadata"]!["name"]}").ToList();

        Assert.Equal(
            [
                "CustomResourceDefinition/baremetalclusters.infrastructure.cluster.x-k8s.io",
                "CustomResourceDefinition/baremetalmachines.infrastructure.cluster.x-k8s.io",
                "CustomResourceDefinition/baremetalmachinetemplates.infrastructure.cluster.x-k8s.io",
                "CustomResourceDefinition/machineinventories.infrastructure.cluster.x-k8s.io",
                "CustomResourceDefinition/machineinventorypools.infrastructure.cluster.x-k8s.io",
                "Namespace/immutableinfra-system",
                "ServiceAccount/immutableinfra-coordinator",
                "ClusterRole/immutableinfra-coordinator",
                "ClusterRoleBinding/immutableinfra-coordinator",
                "Role/immutableinfra-coordinator-leader-election",
                "RoleBinding/immutableinfra-coordinator-leader-election",
                "Deployment/immutableinfra-coordinator",
                "PodDisruptionBudget/immutableinfra-coordinator",
                "Service/immutableinfra-coordinator",
                "Service/immutableinfra-coordinator-metrics",
            ],
            kinds);
        // clusterctl init must work without any variable set.
        Assert.Equal([("IMMUTABLEINFRA_COORDINATOR_REPOSITORY", true)], TemplateVariables.Used(text).Distinct());
        var version = File.ReadAllText(Repository.Path("VERSION")).Trim();
        Assert.Contains($"        image: ${{IMMUTABLEINFRA_COORDINATOR_REPOSITORY:=immutableinfra-coordinator}}:{version}\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_LeavesNoUnresolvedVariable_WithTheDocumentedOnes_AllNamedInTheGuide(string template)
    {
        var text = File.ReadAllText(Repository.Path("packaging/clusterctl/" + template));
        var guide = File.ReadAllText(Repository.Path("docs/operator-guide.md"));

        var rendered = TemplateVariables.Substitute(text, TemplateVariables.Documented);

        Assert.DoesNotContain("${", rendered, StringComparison.Ordinal);
        Assert.All(TemplateVariables.Used(text), v => Assert.True(guide.Contains($"`{v.Name}`", StringComparison.Ordinal), $"{v.Name} is not documented in docs/operator-guide.md"));
        Assert.All(YamlDocuments.Load(rendered), d => Assert.Equal("fleet", (string?)d["metadata"]!["namespace"]));
    }

    [Fact]
    public void Deployment_RunsTwoLeaderElectedHardenedReplicas_WithProbesAndTheTlsSecret()
    {
        var documents = YamlDocuments.Load(File.ReadAllText(Repository.Path("packaging/manifests/deployment.yaml")));
        var deployment = documents.Single(d => (string?)d["kind"] == "Deployment");
        var pod = deployment["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;

        Assert.Equal(2L, (long)deployment["spec"]!["replicas"]!);
        Assert.Equal(["serve", "--leader-elect"], container["args"]!.AsArray().Select(a => (string)a!));
        Assert.Equal(("/healthz", "metrics"), ((string?)container["livenessProbe"]!["httpGet"]!["path"], (string?)container["livenessProbe"]!["httpGet"]!["port"]));
        Assert.Equal("/readyz", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.Equal([9443L, 8080L], container["ports"]!.AsArray().Select(p => (long)p!["containerPort"]!));
        Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!);
        Assert.Equal("RuntimeDefault", (string?)pod["securityContext"]!["seccompProfile"]!["type"]);
        Assert.True((bool)container["securityContext"]!["readOnlyRootFilesystem"]!);
        Assert.False((bool)container["securityContext"]!["allowPrivilegeEscalation"]!);
        Assert.Equal(["ALL"], container["securityContext"]!["capabilities"]!["drop"]!.AsArray().Select(c => (string)c!));
        Assert.NotNull(container["resources"]!["requests"]!["memory"]);
        Assert.NotNull(container["resources"]!["limits"]!["memory"]);
        var tls = container["volumeMounts"]!.AsArray().Single(m => (string?)m!["name"] == "tls")!;
        Assert.Equal(("/etc/immutableinfra/tls", true), ((string?)tls["mountPath"], (bool)tls["readOnly"]!));
        Assert.Equal("immutableinfra-coordinator-tls", (string?)pod["volumes"]!.AsArray().Single(v => (string?)v!["name"] == "tls")!["secret"]!["secretName"]);
        Assert.Contains(documents, d => (string?)d["kind"] == "PodDisruptionBudget");
    }

    [Fact]
    public void Services_ExposeTheAgentApiAndMetrics_ToTheCoordinatorPods()
    {
        var services = YamlDocuments.Load(File.ReadAllText(Repository.Path("packaging/manifests/service.yaml")))
            .ToDictionary(s => (string)s["metadata"]!["name"]!);

        Assert.Equal(9443L, (long)services["immutableinfra-coordinator"]["spec"]!["ports"]![0]!["port"]!);
        Assert.Equal(8080L, (long)services["immutableinfra-coordinator-metrics"]["spec"]!["ports"]![0]!["port"]!);
        Assert.All(services.Values, s => Assert.Equal("immutableinfra-coordinator", (string?)s["spec"]!["selector"]!["app.kubernetes.io/name"]));
    }

    [Fact]
    public void Rbac_HasNoWildcards_NeverUpdatesOrDeletesSecrets_AndKeepsLeasesInItsNamespace()
    {
        var documents = YamlDocuments.Load(File.ReadAllText(Repository.Path("packaging/manifests/rbac.yaml")));
        var clusterRules = documents.Single(d => (string?)d["kind"] == "ClusterRole")["rules"]!.AsArray();
        var role = documents.Single(d => (string?)d["kind"] == "Role");

        IEnumerable<string> Values(JsonNode rule, string field) => rule[field]!.AsArray().Select(v => (string)v!);
        Assert.All(clusterRules.Concat(role["rules"]!.AsArray()), rule =>
        {
            Assert.DoesNotContain("*", Values(rule!, "verbs"));
            Assert.DoesNotContain("*", Values(rule!, "resources"));
            Assert.DoesNotContain("*", Values(rule!, "apiGroups"));
        });
        // Secrets hold bootstrap data of every cluster: read one at a time, create pool tokens, nothing more.
        Assert.Equal(["get", "create"], clusterRules.Where(r => Values(r!, "resources").Contains("secrets")).SelectMany(r => Values(r!, "verbs")));
        Assert.DoesNotContain(clusterRules, r => Values(r!, "resources").Contains("leases"));
        Assert.Equal("immutableinfra-system", (string?)role["metadata"]!["namespace"]);
        Assert.Equal(["leases"], Values(role["rules"]![0]!, "resources"));
    }

    [Fact]
    public void Metadata_MapsTheReleaseSeriesOfVersionToAClusterApiContract()
    {
        var metadata = Assert.Single(YamlDocuments.Load(File.ReadAllText(Repository.Path("packaging/clusterctl/metadata.yaml"))));
        var version = File.ReadAllText(Repository.Path("VERSION")).Trim().Split('.').Select(long.Parse).ToArray();

        // clusterctl refuses a release whose major.minor no series names.
        var series = Assert.Single(metadata["releaseSeries"]!.AsArray(), s => (long)s!["major"]! == version[0] && (long)s["minor"]! == version[1])!;
        Assert.Equal("clusterctl.cluster.x-k8s.io/v1alpha3", (string?)metadata["apiVersion"]);
        Assert.Equal("v1beta2", (string?)series["contract"]);
    }
}
