using System.Net;
using k8s.Autorest;

namespace ImmutableInfra.Dashboard.Kube;

/// <summary>How a failed call to the API server is treated: forbidden by RBAC, gone (relist), or unreachable.</summary>
internal static class ApiFailures
{
    public static HttpStatusCode? StatusOf(Exception e) => e switch
    {
        HttpOperationException { Response: { } r } => r.StatusCode,
        _ => null,
    };

    public static bool IsForbidden(Exception e) => StatusOf(e) is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized;

    public static bool IsGone(Exception e) => StatusOf(e) == HttpStatusCode.Gone;

    public static bool IsNotFound(Exception e) => StatusOf(e) == HttpStatusCode.NotFound;

    /// <summary>A one-line description for the banner; never a response body (it might echo a request).</summary>
    public static string Describe(Exception e) => StatusOf(e) is { } status
        ? $"the API server answered {(int)status} {status}"
        : e.GetBaseException().Message;
}
