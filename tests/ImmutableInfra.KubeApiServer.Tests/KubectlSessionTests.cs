using ImmutableInfra.KubeApiServer.Tests.Fixtures;
using ImmutableInfra.Packaging.Tests;

namespace ImmutableInfra.KubeApiServer.Tests;

/// <summary>
/// An operator's session with the real kubectl (the preinstalled minor and an older one, for version skew) against
/// the in-memory server, in the order an operator works: every step checks what kubectl prints or what the server
/// then holds. kubectl 1.27 and 1.28 are not covered: they read OpenAPI v2 only as protobuf (README).
/// </summary>
public sealed class KubectlSessionTests
{
    private const string Cluster = "prod1";
    private const string Ns = "fleet";

    [Theory]
    [InlineData("kubectl")]
    [InlineData("kubectl.1.29")]
    public async Task OperatorSession_BehavesAsAgainstARealServer(string kubectlName)
    {
        await using var session = await ServerSession.StartAsync();
        var kubectl = new Kubectl(ToolProcess.Kubectl(kubectlName), session.Kubeconfig);

        // Our CRDs, applied as an operator installs them, then established.
        Assert.Contains("customresourcedefinition.apiextensions.k8s.io/baremetalclusters.infrastructure.cluster.x-k8s.io created", await kubectl.OkAsync("apply", "-f", Repository.Path("packaging/crds")));
        await kubectl.OkAsync("wait", "--for=condition=Established", "crd/baremetalclusters.infrastructure.cluster.x-k8s.io", "--timeout=30s");

        // Built-in kinds as kubectl creates them (protobuf bodies).
        Assert.Contains("namespace/fleet created", await kubectl.OkAsync("create", "namespace", Ns));
        Assert.Contains("secret/creds created", await kubectl.OkAsync("create", "secret", "generic", "creds", "-n", Ns, "--from-literal=token=s3cret"));
        Assert.Contains("configmap/settings created", await kubectl.OkAsync("create", "configmap", "settings", "-n", Ns, "--from-literal=mode=lab"));
        Assert.Equal("s3cret", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(await kubectl.OkAsync("get", "secret", "creds", "-n", Ns, "-o", "jsonpath={.data.token}"))));
        Assert.Contains("Opaque", await kubectl.OkAsync("get", "secret", "creds", "-n", Ns));

        // A rendered cluster template applies as is, with kubectl's default (server-side strict) validation.
        var template = session.File("cluster.yaml", ServerSession.RenderedTemplate());
        var applied = await kubectl.OkAsync("apply", "-f", template);
        foreach (var created in new[] { "cluster.cluster.x-k8s.io/prod1", "baremetalcluster.infrastructure.cluster.x-k8s.io/prod1", "kubeadmcontrolplane.controlplane.cluster.x-k8s.io/prod1-control-plane", "machinedeployment.cluster.x-k8s.io/prod1-md-0", "kubeadmconfigtemplate.bootstrap.cluster.x-k8s.io/prod1-md-0" })
        {
            Assert.Contains($"{created} created", applied);
        }

        // Printer columns, -o wide priorities, short names and the cluster-api category.
        var clusters = await kubectl.OkAsync("get", "bmc", "-n", Ns);
        Assert.Matches(@"NAME\s+ENDPOINT\s+TYPE\s+PROVISIONED\s+AGE", clusters);
        Assert.Matches(@"prod1\s+192\.0\.2\.100\s+Internal", clusters);
        Assert.DoesNotContain("DESIRED", await kubectl.OkAsync("get", "kcp", "-n", Ns));
        Assert.Matches(@"DESIRED.*\n.*prod1-control-plane\s+.*3", await kubectl.OkAsync("get", "kcp", "-n", Ns, "-o", "wide"));
        var all = await kubectl.OkAsync("get", "cluster-api", "-n", Ns);
        foreach (var kind in new[] { "cluster.cluster.x-k8s.io/prod1", "machinedeployment.cluster.x-k8s.io/prod1-md-0", "baremetalmachinetemplate.infrastructure.cluster.x-k8s.io/prod1-md-0", "kubeadmconfigtemplate.bootstrap.cluster.x-k8s.io/prod1-md-0" })
        {
            Assert.Contains(kind, all);
        }

        Assert.Contains("prod1-control-plane", await kubectl.OkAsync("get", "bmt", "-n", Ns));
        Assert.Matches(@"NAME\s+DATA\s+AGE", await kubectl.OkAsync("get", "cm", "-n", Ns));

        // explain reads the served OpenAPI v3.
        var explained = await kubectl.OkAsync("explain", "baremetalcluster.spec.controlPlaneLoadBalancer");
        Assert.Contains("vrid", explained);
        Assert.Contains("VRRP virtual router id", explained);

        // diff and server dry runs write nothing.
        var changed = session.File("changed.yaml", ServerSession.RenderedTemplate().Replace("vrid: 51", "vrid: 52", StringComparison.Ordinal));
        var diff = await kubectl.RunAsync("diff", "-f", changed);
        Assert.True(diff.ExitCode == 1, diff.ToString());
        Assert.Contains("+    vrid: 52", diff.Output);
        Assert.Contains("configured (server dry run)", await kubectl.OkAsync("apply", "-f", changed, "--dry-run=server"));
        Assert.Contains("deleted (server dry run)", await kubectl.OkAsync("delete", "bmc", Cluster, "-n", Ns, "--dry-run=server"));
        Assert.Equal("51", await Vrid(kubectl));

        // Every patch type.
        await kubectl.OkAsync("patch", "bmc", Cluster, "-n", Ns, "--type=merge", "-p", """{"spec":{"controlPlaneLoadBalancer":{"vrid":53}}}""");
        Assert.Equal("53", await Vrid(kubectl));
        await kubectl.OkAsync("patch", "bmc", Cluster, "-n", Ns, "--type=json", "-p", """[{"op":"replace","path":"/spec/controlPlaneLoadBalancer/vrid","value":54}]""");
        Assert.Equal("54", await Vrid(kubectl));
        await kubectl.OkAsync("patch", "configmap", "settings", "-n", Ns, "-p", """{"data":{"extra":"1"}}""");
        Assert.Equal("lab 1", await kubectl.OkAsync("get", "configmap", "settings", "-n", Ns, "-o", "jsonpath={.data.mode} {.data.extra}"));
        var strategicOnCustom = await kubectl.RunAsync("patch", "bmc", Cluster, "-n", Ns, "-p", """{"spec":{"controlPlaneLoadBalancer":{"vrid":55}}}""");
        Assert.True(strategicOnCustom.ExitCode != 0 && strategicOnCustom.Error.Contains("strategic-merge-patch", StringComparison.Ordinal), strategicOnCustom.ToString());

        // Server-side apply twice (the second is a no-op), a conflict with another manager, then forced.
        var ssa = session.File("ssa.yaml", """
            apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
            kind: BaremetalCluster
            metadata:
              name: ssa
              namespace: fleet
            spec:
              controlPlaneLoadBalancer:
                type: Internal
                vip: 192.0.2.200
                vrid: 60
            """);
        Assert.Contains("serverside-applied", await kubectl.OkAsync("apply", "--server-side", "-f", ssa));
        var version = await kubectl.OkAsync("get", "bmc", "ssa", "-n", Ns, "-o", "jsonpath={.metadata.resourceVersion}");
        await kubectl.OkAsync("apply", "--server-side", "-f", ssa);
        Assert.Equal(version, await kubectl.OkAsync("get", "bmc", "ssa", "-n", Ns, "-o", "jsonpath={.metadata.resourceVersion}"));
        await kubectl.OkAsync("patch", "bmc", "ssa", "-n", Ns, "--type=merge", "-p", """{"spec":{"controlPlaneLoadBalancer":{"vrid":61}}}""");
        var conflict = await kubectl.RunAsync("apply", "--server-side", "-f", ssa);
        Assert.True(conflict.ExitCode != 0, conflict.ToString());
        Assert.Contains("conflict with \"kubectl-patch\"", conflict.Error);
        Assert.Contains(".spec.controlPlaneLoadBalancer.vrid", conflict.Error);
        await kubectl.OkAsync("apply", "--server-side", "--force-conflicts", "-f", ssa);
        Assert.Equal("60", await kubectl.OkAsync("get", "bmc", "ssa", "-n", Ns, "-o", "jsonpath={.spec.controlPlaneLoadBalancer.vrid}"));
        Assert.DoesNotContain("kubectl-patch", await kubectl.OkAsync("get", "bmc", "ssa", "-n", Ns, "-o", "jsonpath={.metadata.managedFields[*].manager}"));

        // get -w sees a change; wait sees a condition met.
        using (var watch = ToolProcess.Start(kubectl.Program, ["get", "bmc", Cluster, "-n", Ns, "-w", "--no-headers"], session.Kubeconfig))
        {
            var first = await watch.StandardOutput.ReadLineAsync();
            Assert.Contains(Cluster, first);
            await kubectl.OkAsync("patch", "bmc", Cluster, "-n", Ns, "--type=merge", "-p", """{"spec":{"controlPlaneEndpoint":{"host":"192.0.2.101"}}}""");
            string? line;
            do
            {
                line = await watch.StandardOutput.ReadLineAsync();
            }
            while (line is not null && !line.Contains("192.0.2.101", StringComparison.Ordinal));

            Assert.NotNull(line);
            watch.Kill();
        }

        Assert.Contains("condition met", await kubectl.OkAsync("wait", $"bmc/{Cluster}", "-n", Ns, "--for=jsonpath={.spec.controlPlaneEndpoint.host}=192.0.2.101", "--timeout=30s"));

        // describe shows the object's events (found by the involvedObject field selector).
        var uid = await kubectl.OkAsync("get", "bmc", Cluster, "-n", Ns, "-o", "jsonpath={.metadata.uid}");
        var eventFile = session.File("event.yaml", $"""
            apiVersion: v1
            kind: Event
            metadata:
              name: prod1.vip
              namespace: fleet
            involvedObject:
              apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
              kind: BaremetalCluster
              name: prod1
              namespace: fleet
              uid: {uid}
            reason: VipAssigned
            message: the control-plane VIP is held by node-1
            type: Normal
            source:
              component: immutableinfra-coordinator
            count: 1
            firstTimestamp: "2026-01-01T00:00:00Z"
            lastTimestamp: "2026-01-01T00:00:00Z"
            """);
        await kubectl.OkAsync("create", "-f", eventFile);
        var described = await kubectl.OkAsync("describe", "bmc", Cluster, "-n", Ns);
        Assert.Matches(@"Events:\s*\n.*Type\s+Reason", described);
        Assert.Contains("VipAssigned", described);
        Assert.Contains("VipAssigned", await kubectl.OkAsync("get", "events", "-n", Ns, "--field-selector", "involvedObject.kind=BaremetalCluster,reason=VipAssigned"));

        // Invalid objects are refused as a real server refuses them.
        await AssertRefused(kubectl, session, "controlPlaneLoadBalancer: {type: Internal, vip: 192.0.2.9, vrid: 999}",
            "spec.controlPlaneLoadBalancer.vrid: Invalid value: 999: spec.controlPlaneLoadBalancer.vrid in body should be less than or equal to 255");
        await AssertRefused(kubectl, session, "controlPlaneLoadBalancer: {type: Internal, vip: 192.0.2.9, vrid: x}",
            "spec.controlPlaneLoadBalancer.vrid: Invalid value: \"string\": spec.controlPlaneLoadBalancer.vrid in body must be of type integer: \"string\"");
        await AssertRefused(kubectl, session, "controlPlaneEndpoint: {host: 192.0.2.9}",
            "spec.controlPlaneEndpoint.port: Required value");
        await AssertRefused(kubectl, session, "controlPlaneLoadBalancer: {type: Internal, vip: 192.0.2.9}",
            "spec.controlPlaneLoadBalancer: Invalid value: \"object\": an Internal load balancer needs vip and vrid");
        var external = session.File("external.yaml", """
            apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
            kind: BaremetalCluster
            metadata:
              name: external
              namespace: fleet
            spec:
              controlPlaneLoadBalancer:
                type: External
            """);
        Assert.Contains("""spec: Invalid value: "object": an External load balancer needs controlPlaneEndpoint""", (await kubectl.FailAsync("apply", "-f", external)).Error);
        var selector = session.File("selector.yaml", """
            apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
            kind: BaremetalMachine
            metadata:
              name: selector
              namespace: fleet
            spec:
              poolRef:
                name: pool
              hostSelector:
                matchExpressions:
                - key: rack
                  operator: In
            """);
        Assert.Contains("""spec.hostSelector.matchExpressions[0]: Invalid value: "object": In and NotIn need values; Exists and DoesNotExist take none""", (await kubectl.FailAsync("apply", "-f", selector)).Error);
        await kubectl.OkAsync("apply", "-f", session.File("machine.yaml", File.ReadAllText(selector).Replace("operator: In", "operator: Exists", StringComparison.Ordinal)));
        await kubectl.OkAsync("patch", "bmm", "selector", "-n", Ns, "--type=merge", "-p", """{"spec":{"providerID":"baremetal://fleet/node-1"}}""");
        var moved = await kubectl.FailAsync("patch", "bmm", "selector", "-n", Ns, "--type=merge", "-p", """{"spec":{"providerID":"baremetal://fleet/node-2"}}""");
        Assert.Contains("""spec: Invalid value: "object": providerID cannot change once set""", moved.Error);
        var unknown = await kubectl.FailAsync("apply", "-f", session.File("unknown.yaml", File.ReadAllText(external).Replace("type: External", "type: External\n    colour: blue", StringComparison.Ordinal)));
        Assert.Contains("strict decoding error: unknown field \"spec.controlPlaneLoadBalancer.colour\"", unknown.Error);

        // The manifests apply (their namespace first, as on a fresh cluster), then are unchanged.
        await kubectl.OkAsync("apply", "-f", Repository.Path("packaging/manifests/namespace.yaml"));
        var manifests = await kubectl.OkAsync("apply", "-f", Repository.Path("packaging/manifests"));
        Assert.Contains("deployment.apps/immutableinfra-coordinator created", manifests);
        Assert.Contains("clusterrole.rbac.authorization.k8s.io/immutableinfra-coordinator created", manifests);
        Assert.Contains("deployment.apps/immutableinfra-coordinator unchanged", await kubectl.OkAsync("apply", "-f", Repository.Path("packaging/manifests")));
        Assert.Matches(@"NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE", await kubectl.OkAsync("get", "deploy", "-n", "immutableinfra-system"));

        // delete removes what the template created.
        await kubectl.OkAsync("delete", "-f", template);
        var gone = await kubectl.RunAsync("get", "bmc", Cluster, "-n", Ns);
        Assert.Contains("NotFound", gone.Error);
    }

    private static Task<string> Vrid(Kubectl kubectl) =>
        kubectl.OkAsync("get", "bmc", Cluster, "-n", Ns, "-o", "jsonpath={.spec.controlPlaneLoadBalancer.vrid}");

    private static async Task AssertRefused(Kubectl kubectl, ServerSession session, string spec, string cause)
    {
        var text = $"apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: BaremetalCluster\nmetadata: {{name: invalid, namespace: fleet}}\nspec:\n  {spec}\n";
        var refused = await kubectl.FailAsync("apply", "-f", session.File("invalid.yaml", text));
        Assert.Contains($"The BaremetalCluster \"invalid\" is invalid: {cause}", refused.Error);
    }
}

/// <summary>kubectl bound to one binary and kubeconfig.</summary>
internal sealed class Kubectl(string program, string kubeconfig)
{
    public string Program { get; } = program;

    public Task<ToolResult> RunAsync(params string[] arguments) => ToolProcess.RunAsync(Program, arguments, kubeconfig);

    public async Task<string> OkAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', arguments)}: {result}");
        return result.Output.Trim();
    }

    public async Task<ToolResult> FailAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        Assert.True(result.ExitCode != 0, $"kubectl {string.Join(' ', arguments)} should have failed: {result}");
        return result;
    }
}
