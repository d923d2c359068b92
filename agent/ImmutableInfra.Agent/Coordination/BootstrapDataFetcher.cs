using System.Security.Cryptography;
using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Contract.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>
/// Fetches a Provision's bootstrap data and proves it is the data the Provision names (SHA-256).
/// Transient failures (coordinator unreachable, Secret not written yet, credential being replaced)
/// are retried with backoff; refusals end the provision as FAILED.
/// </summary>
internal sealed class BootstrapDataFetcher(
    AgentService.AgentServiceClient client,
    CredentialStore credentials,
    CoordinationOptions options,
    LinkStatus status,
    Func<double> random,
    TimeProvider timeProvider,
    ILogger<BootstrapDataFetcher> logger)
{
    /// <summary>The data, or a failure reason safe to report.</summary>
    public async Task<(byte[]? Data, string FailureReason)> FetchAsync(Provision provision, CancellationToken cancellationToken)
    {
        var backoff = new ReconnectBackoff(options.ReconnectBackoffMin, options.ReconnectBackoffMax, random, timeProvider);
        while (true)
        {
            string reason;
            if (credentials.Load() is not { } enrollment)
            {
                reason = "waiting for enrollment";
            }
            else
            {
                try
                {
                    using var call = client.FetchBootstrapDataAsync(
                        new FetchBootstrapDataRequest { MachineUid = provision.MachineUid },
                        new CallOptions(BearerCredentials.For(enrollment), timeProvider.GetUtcNow().UtcDateTime + options.UnaryCallTimeout, cancellationToken));
                    var response = await call.ResponseAsync.ConfigureAwait(false);
                    return Verify(provision, response);
                }
                catch (RpcException e) when (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException("Fetching bootstrap data was cancelled.", e, cancellationToken);
                }
                catch (RpcException e) when (IsFinal(e.StatusCode))
                {
                    return (null, "fetching bootstrap data failed: " + CallFailure.Describe(e));
                }
                catch (RpcException e)
                {
                    reason = CallFailure.Describe(e);
                }
            }

            var delay = backoff.NextDelay();
            CoordinationLog.BootstrapFetchRetry(logger, provision.MachineUid, reason, delay);
            status.SetActivity($"provisioning: fetching bootstrap data, retrying in {DurationText.Format(delay)}: {reason}");
            await backoff.WaitAsync(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private static (byte[]? Data, string FailureReason) Verify(Provision provision, BootstrapData response)
    {
        var data = response.Data.ToByteArray();
        var actual = Convert.ToHexStringLower(SHA256.HashData(data));
        if (!string.Equals(actual, provision.BootstrapDataSha256, StringComparison.OrdinalIgnoreCase))
        {
            return (null, "bootstrap data does not match the provision's bootstrap_data_sha256");
        }

        if (response.Sha256.Length > 0 && !string.Equals(actual, response.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            return (null, "bootstrap data does not match its sha256");
        }

        return (data, string.Empty);
    }

    // NOT_FOUND is transient here: the bootstrap Secret is written by CAPI after the claim.
    private static bool IsFinal(StatusCode code) =>
        code is StatusCode.PermissionDenied or StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.Unimplemented;
}
