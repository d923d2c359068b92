"""An operator's session with Debian's python3-kubernetes against the in-memory API server.

Prints one line per check; exits non-zero on the first unexpected answer."""
import sys

from kubernetes import client, config, watch

config.load_kube_config(sys.argv[1])
core = client.CoreV1Api()
custom = client.CustomObjectsApi()
GROUP, VERSION, NS = "infrastructure.cluster.x-k8s.io", "v1beta1", "py"


def check(name, condition):
    print(("ok " if condition else "FAILED ") + name)
    if not condition:
        sys.exit(1)


core.create_namespace({"metadata": {"name": NS}})
core.create_namespaced_config_map(NS, {"metadata": {"name": "settings"}, "data": {"mode": "lab"}})
check("list configmaps", [c.metadata.name for c in core.list_namespaced_config_map(NS).items] == ["settings"])

# The python client sends watch=True (capital T).
stream = watch.Watch()
seen = [e["type"] + " " + e["object"].metadata.name for e in stream.stream(core.list_namespaced_config_map, NS, timeout_seconds=2)]
check("watch=True streams events", "ADDED settings" in seen)

cluster = {
    "apiVersion": f"{GROUP}/{VERSION}", "kind": "BaremetalCluster", "metadata": {"name": "py1"},
    "spec": {"controlPlaneLoadBalancer": {"type": "Internal", "vip": "192.0.2.50", "vrid": 70}},
}
created = custom.create_namespaced_custom_object(GROUP, VERSION, NS, "baremetalclusters", cluster)
check("defaults applied", created["spec"]["controlPlaneLoadBalancer"]["port"] == 6443)
patched = custom.patch_namespaced_custom_object(GROUP, VERSION, NS, "baremetalclusters", "py1", {"spec": {"controlPlaneLoadBalancer": {"vrid": 71}}})
check("merge patch", patched["spec"]["controlPlaneLoadBalancer"]["vrid"] == 71)
dry = custom.patch_namespaced_custom_object(GROUP, VERSION, NS, "baremetalclusters", "py1", {"spec": {"controlPlaneLoadBalancer": {"vrid": 72}}}, dry_run="All")
stored = custom.get_namespaced_custom_object(GROUP, VERSION, NS, "baremetalclusters", "py1")
check("dry run answers the change and stores nothing", dry["spec"]["controlPlaneLoadBalancer"]["vrid"] == 72 and stored["spec"]["controlPlaneLoadBalancer"]["vrid"] == 71)

bad = dict(cluster, metadata={"name": "bad"}, spec={"controlPlaneLoadBalancer": {"type": "Internal", "vip": "192.0.2.51", "vrid": 999}})
try:
    custom.create_namespaced_custom_object(GROUP, VERSION, NS, "baremetalclusters", bad)
    check("vrid 999 refused", False)
except client.ApiException as e:
    check("vrid 999 refused with 422", e.status == 422 and "should be less than or equal to 255" in e.body)

custom.delete_namespaced_custom_object(GROUP, VERSION, NS, "baremetalclusters", "py1")
check("deleted", custom.list_namespaced_custom_object(GROUP, VERSION, NS, "baremetalclusters")["items"] == [])
print("python session done")
