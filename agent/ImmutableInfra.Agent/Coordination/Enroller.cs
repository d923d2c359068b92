using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Contract.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>
/// Makes sure this host holds a credential: the stored one, or a new one from Register. Refusals an
/// operator must fix are reported and retried only after a long wait; transient failures with the
/// link's backoff.
/// </summary>
internal sealed class Enroller(
    AgentOptions options,
    CoordinationOptions coordination,
    AgentService.AgentServiceClient client,
    CredentialStore credentials,
    HostInventoryReader inventoryReader,
    HostRoot root,
    SyncPacing pacing,
    ReconnectBackoff backoff,
    LinkStatus status,
    Func<double> random,
    TimeProvider timeProvider,
    ILogger<Enroller> logger)
{
    public async Task<Enrollment> EnsureEnrolledAsync(CancellationToken cancellationToken)
    {
        if (credentials.Load() is { } stored)
        {
            return stored;
        }

        while (true)
        {
            status.SetLink("enrolling");
            TimeSpan delay;
            try
            {
                var enrollment = await RegisterAsync(cancellationToken).ConfigureAwait(false);
                backoff.Reset();
                return enrollment;
            }
            catch (RpcException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (RpcException e) when (CallFailure.NeedsOperator(e.StatusCode))
            {
                delay = Jitter.Shorten(coordination.RejectedRegistrationRetry, 0.2, random);
                var reason = CallFailure.Describe(e);
                CoordinationLog.RegistrationRejected(logger, options.Pool, e.StatusCode, reason, delay);
                status.SetLink($"registration rejected, operator action needed: {reason}; retrying in {DurationText.Format(delay)}");
            }
            catch (RpcException e)
            {
                delay = backoff.NextDelay();
                var reason = CallFailure.Describe(e);
                CoordinationLog.RegistrationFailed(logger, options.Pool, reason, delay);
                status.SetLink($"retrying in {DurationText.Format(delay)}: {reason}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                delay = Jitter.Shorten(coordination.RejectedRegistrationRetry, 0.2, random);
                CoordinationLog.RegistrationTokenUnreadable(logger, e.Message, delay);
                status.SetLink($"registration token unreadable: {e.Message}; retrying in {DurationText.Format(delay)}");
            }

            await backoff.WaitAsync(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Enrollment> RegisterAsync(CancellationToken cancellationToken)
    {
        var inventory = inventoryReader.Read();
        var request = new RegisterRequest
        {
            Pool = options.Pool,
            RegistrationToken = ReadToken(),
            Identity = HostIdentityReader.From(inventory, root),
            Inventory = inventory,
            AgentVersion = AgentVersion.Current,
        };
        foreach (var (name, value) in options.Labels)
        {
            request.Labels[name] = value;
        }

        CoordinationLog.Registering(logger, options.Pool, request.Identity.SystemUuid, request.Identity.Macs.Count, inventory.Fingerprint);

        using var call = client.RegisterAsync(request, new CallOptions(deadline: timeProvider.GetUtcNow().UtcDateTime + coordination.UnaryCallTimeout, cancellationToken: cancellationToken));
        var response = await call.ResponseAsync.ConfigureAwait(false);
        if (response.Credential.Length == 0 || response.Namespace.Length == 0 || response.InventoryName.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.Internal, "the coordinator's RegisterResponse lacks a credential or inventory name"));
        }

        var enrollment = new Enrollment(response.Namespace, response.InventoryName, response.Credential);
        credentials.Save(enrollment);
        pacing.Apply(response.Settings);
        CoordinationLog.Enrolled(logger, enrollment.Namespace, enrollment.InventoryName, credentials.Path);
        return enrollment;
    }

    // Read at every attempt: an operator fixing a wrong token file should not have to restart the agent.
    private string ReadToken() =>
        options.RegistrationToken ?? File.ReadAllText(options.RegistrationTokenFile ?? throw new IOException("no registration token configured")).Trim();
}
