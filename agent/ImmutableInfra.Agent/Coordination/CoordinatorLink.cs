using ImmutableInfra.Agent.Configuration;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>
/// Keeps one Sync stream to the coordinator open for the agent's lifetime: enroll if needed, run the
/// stream, and after it ends reconnect with exponential backoff and full jitter. A stream that stayed
/// up for a while resets the backoff; a revoked credential (UNAUTHENTICATED) is dropped and the host
/// enrolls again.
/// </summary>
internal sealed class CoordinatorLink(
    Enroller enroller,
    SyncSession session,
    CredentialStore credentials,
    ReconnectBackoff backoff,
    CoordinationOptions options,
    LinkStatus status,
    TimeProvider timeProvider,
    ILogger<CoordinatorLink> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var enrollment = await enroller.EnsureEnrolledAsync(cancellationToken).ConfigureAwait(false);
            status.SetLink("connecting");
            var started = timeProvider.GetTimestamp();
            string reason;
            try
            {
                await session.RunAsync(enrollment, cancellationToken).ConfigureAwait(false);
                reason = "the coordinator closed the stream";
            }
            catch (RpcException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
            {
                reason = "credential rejected (" + CallFailure.Describe(e) + "), enrolling again";
                CoordinationLog.CredentialRejected(logger, enrollment.Namespace, enrollment.InventoryName, CallFailure.Describe(e));
                credentials.Delete();
            }
            catch (RpcException e)
            {
                reason = CallFailure.Describe(e);
            }
            catch (IOException e)
            {
                reason = "reading the inventory failed: " + e.Message;
            }
#pragma warning disable CA1031 // The link must outlive any one stream: a failure nobody foresaw is logged and retried, never the silent end of the host's connection.
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                reason = "unexpected " + e.GetType().Name + ": " + e.Message;
                CoordinationLog.StreamFailedUnexpectedly(logger, e, e.GetType().Name);
            }

            if (timeProvider.GetElapsedTime(started) >= options.HealthyStreamDuration)
            {
                backoff.Reset();
            }

            var delay = backoff.NextDelay();
            CoordinationLog.StreamEnded(logger, reason, delay);
            status.SetLink($"retrying in {DurationText.Format(delay)}: {reason}");
            await backoff.WaitAsync(delay, cancellationToken).ConfigureAwait(false);
        }
    }
}
