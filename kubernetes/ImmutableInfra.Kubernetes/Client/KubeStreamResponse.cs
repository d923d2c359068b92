namespace ImmutableInfra.Kubernetes.Client;

/// <summary>An open streaming response (watch) that owns its timeout so the whole stream stays bounded.</summary>
internal sealed class KubeStreamResponse(HttpResponseMessage response, CancellationTokenSource timeout, CancellationTokenSource linked) : IDisposable
{
    public HttpResponseMessage Response { get; } = response;

    /// <summary>Cancelled when the caller cancels or the stream's time bound elapses.</summary>
    public CancellationToken Token => linked.Token;

    public void Dispose()
    {
        Response.Dispose();
        linked.Dispose();
        timeout.Dispose();
    }
}
