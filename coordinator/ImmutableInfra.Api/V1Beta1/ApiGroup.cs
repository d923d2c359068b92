namespace ImmutableInfra.Api.V1Beta1;

/// <summary>The API group and version every kind of this library is served under.</summary>
public static class ApiGroup
{
    public const string Group = "infrastructure.cluster.x-k8s.io";
    public const string Version = "v1beta1";
    public const string ApiVersion = Group + "/" + Version;
}
