using Grpc.Core;
using Grpc.Core.Interceptors;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Contract.V1;
using ImmutableInfra.Coordinator.Caching;
using ImmutableInfra.Coordinator.Observability;
using ImmutableInfra.Kubernetes.Client;

namespace ImmutableInfra.Coordinator.AgentApi.Interceptors;

/// <summary>
/// Authentication and host scoping of the agent API: every call but Register (which the registrar checks)
/// needs a per-host credential (<c>authorization: Bearer</c>), and a host may touch only its own record (the Sync
/// hello) and its own claim (FetchBootstrapData). The service methods get the host through <see cref="AgentCallScope"/>.
/// </summary>
internal sealed class AgentCredentialInterceptor(ResourceCaches caches) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (request is RegisterRequest)
        {
            // The registrar checks a registration itself, in the order that keeps a flood from starving good hosts:
            // the caller's per-source budget first, then the request's bounds, then pool and token together (one
            // answer for both), and only then the shared budget (HostRegistrar).
            return await continuation(request, context).ConfigureAwait(false);
        }

        var host = await AuthenticateAsync(context).ConfigureAwait(false);
        if (request is FetchBootstrapDataRequest fetch)
        {
            var claim = host.Status?.Claim;
            if (fetch.MachineUid.Length == 0 || claim?.MachineRef?.Uid != fetch.MachineUid || claim.Released == true)
            {
                throw Rejected("other_machine", StatusCode.PermissionDenied, "a host may only fetch the bootstrap data of the machine that claimed it");
            }
        }

        context.SetHost(host);
        return await continuation(request, context).ConfigureAwait(false);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var host = await AuthenticateAsync(context).ConfigureAwait(false);
        context.SetHost(host);
        await continuation(new ScopedReader<TRequest>(requestStream, host), responseStream, context).ConfigureAwait(false);
    }

    // The contract has no client- or server-streaming method; one added later is authenticated like the rest.
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        context.SetHost(await AuthenticateAsync(context).ConfigureAwait(false));
        return await continuation(requestStream, context).ConfigureAwait(false);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        context.SetHost(await AuthenticateAsync(context).ConfigureAwait(false));
        await continuation(request, responseStream, context).ConfigureAwait(false);
    }

    private async Task<MachineInventory> AuthenticateAsync(ServerCallContext context)
    {
        var authorization = context.RequestHeaders.GetValue("authorization");
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "a host credential (authorization: Bearer) is required"));
        }

        var credential = authorization["Bearer ".Length..].Trim();
        if (!HostCredential.TryParse(credential, out var namespaceName, out var name))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "the credential is not a host credential"));
        }

        var host = caches.HostCache.Get(namespaceName, name);
        if (host is null || !HostCredential.Matches(credential, host.Status?.CredentialHash))
        {
            // The cache may lag a registration that just happened: look once at the source.
            try
            {
                host = await caches.Hosts.GetAsync(namespaceName, name, context.CancellationToken).ConfigureAwait(false);
            }
            catch (KubeNotFoundException)
            {
                host = null;
            }
        }

        return host is not null && HostCredential.Matches(credential, host.Status?.CredentialHash)
            ? host
            : throw Rejected("bad_credential", StatusCode.Unauthenticated, "unknown or revoked host credential; register again");
    }

    private static RpcException Rejected(string reason, StatusCode code, string detail)
    {
        CoordinatorMetrics.AgentApiRejections.Add(1, new KeyValuePair<string, object?>("reason", reason));
        return new RpcException(new Status(code, detail));
    }

    /// <summary>Refuses a Sync hello that names another host's record.</summary>
    private sealed class ScopedReader<T>(IAsyncStreamReader<T> inner, MachineInventory host) : IAsyncStreamReader<T>
    {
        private bool _first = true;

        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            var moved = await inner.MoveNext(cancellationToken).ConfigureAwait(false);
            if (moved && _first && inner.Current is AgentMessage { BodyCase: AgentMessage.BodyOneofCase.Hello, Hello: var hello }
                && (hello.Namespace != host.Metadata.Namespace || hello.InventoryName != host.Metadata.Name))
            {
                throw Rejected("other_host", StatusCode.PermissionDenied, "a host may only sync its own record");
            }

            _first = false;
            return moved;
        }
    }
}
