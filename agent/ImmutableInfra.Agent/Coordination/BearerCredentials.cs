using Grpc.Core;
using ImmutableInfra.Agent.Configuration;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>The `authorization: Bearer` metadata every call after Register carries.</summary>
internal static class BearerCredentials
{
    public const string HeaderName = "authorization";

    public static Metadata For(Enrollment enrollment) => new() { { HeaderName, "Bearer " + enrollment.Credential } };
}
