using Grpc.Core;
using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Coordinator.AgentApi.Interceptors;

/// <summary>What the credential interceptor established for a call, handed to the service through the call's user state.</summary>
internal static class AgentCallScope
{
    private static readonly object HostKey = new();

    /// <summary>The host whose credential the call carries (every method but Register).</summary>
    public static MachineInventory Host(this ServerCallContext context) =>
        context.UserState.TryGetValue(HostKey, out var host) ? (MachineInventory)host
            : throw new InvalidOperationException("the call was not authenticated: the credential interceptor is not installed");

    public static void SetHost(this ServerCallContext context, MachineInventory host) => context.UserState[HostKey] = host;
}
