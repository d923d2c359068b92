using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Bootstrap;

/// <summary>The cloud-init instance-data names CAPI bootstrap templates use, filled from the machine's meta-data.</summary>
internal static class TemplateVariables
{
    public static IReadOnlyDictionary<string, string> From(MachineMetadata metadata) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ds.meta_data.instance_id"] = metadata.InstanceId,
        ["ds.meta_data.local_hostname"] = metadata.LocalHostname,
        ["ds.meta_data.provider_id"] = metadata.ProviderId,
        ["ds.meta_data.failure_domain"] = metadata.FailureDomain,
        ["v1.instance_id"] = metadata.InstanceId,
        ["v1.local_hostname"] = metadata.LocalHostname,
        ["v1.availability_zone"] = metadata.FailureDomain,
        ["v1.cloud_name"] = "baremetal",
        ["v1.platform"] = "immutableinfra",
    };
}
