using Grpc.Core;
using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Coordinator.AgentApi.Interceptors;

/// <summary>What the credential interceptor established for a call, handed to the service through the call's user state.</summary>
internal static class AgentCallScope
{
    private static readonly object HostKey = new();
    private static readonly object PoolKey = new();

    /// <summary>The host whose credential the call carries (every method but Register).</summary>
    public static MachineInventory Host(this ServerCallContext context) =>
        context.UserState.TryGetValue(HostKey, out var host) ? (MachineInventory)host
            : throw new InvalidOperationException("the call was not authenticated: the credential interceptor is not installed");

    /// <summary>The pool whose registration token a Register call presented.</summary>
    public static MachineInventoryPool Pool(this ServerCallContext context) =>
        context.UserState.TryGetValue(PoolKey, out var pool) ? (MachineInventoryPool)pool
            : throw new InvalidOperationException("the registration was not authenticated: the credential interceptor is not installed");

    public static void SetHost(this ServerCallContext context, MachineInventory host) => context.UserState[HostKey] = host;

    public static void SetPool(this ServerCallContext context, MachineInventoryPool pool) => context.UserState[PoolKey] = pool;
}
