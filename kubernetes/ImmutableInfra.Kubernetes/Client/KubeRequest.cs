namespace ImmutableInfra.Kubernetes.Client;

/// <summary>One API request, rebuilt into a fresh HttpRequestMessage for every attempt.</summary>
internal sealed record KubeRequest(HttpMethod Method, string PathAndQuery, byte[]? Body = null, string? ContentType = null);
