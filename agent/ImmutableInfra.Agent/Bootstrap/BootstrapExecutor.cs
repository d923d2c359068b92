using System.Security.Cryptography;
using System.Text;
using ImmutableInfra.Agent.Bootstrap.CloudConfig;
using ImmutableInfra.Agent.Bootstrap.Ignition;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Contract.V1;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Bootstrap;

/// <summary>
/// Runs CAPI bootstrap data (cloud-config or Ignition) for a Provision: parses all of it first,
/// then runs the steps in order, journaling each, and reports done when CAPI's sentinel exists.
/// Idempotent and resumable: call it again with the same Provision and data after a crash or
/// restart and it continues after the last completed step; with the sentinel present it does nothing.
/// </summary>
internal sealed class BootstrapExecutor(
    HostRoot root,
    BootstrapJournal journal,
    ICommandRunner runner,
    ISystemd systemd,
    BootstrapOptions options,
    ILogger<BootstrapExecutor> logger)
{
    public async Task<BootstrapOutcome> ExecuteAsync(
        Provision provision,
        ReadOnlyMemory<byte> data,
        IProgress<BootstrapProgress> progress,
        CancellationToken cancellationToken)
    {
        var machineUid = provision.MachineUid;
        if (IsSentinelPresent())
        {
            BootstrapLog.AlreadyComplete(logger, machineUid);
            progress.Report(new BootstrapProgress { MachineUid = machineUid, Complete = true });
            return BootstrapOutcome.Success;
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(data.Span));
        if (provision.BootstrapDataSha256.Length > 0 && !string.Equals(provision.BootstrapDataSha256, sha256, StringComparison.OrdinalIgnoreCase))
        {
            return Fail(machineUid, "bootstrap data does not match bootstrap_data_sha256");
        }

        IReadOnlyList<BootstrapStep> steps;
        try
        {
            steps = Plan(provision, data);
        }
        catch (Exception e) when (e is BootstrapParseException or PathEscapeException)
        {
            return Fail(machineUid, e.Message);
        }

        var entry = journal.Open(machineUid, sha256, steps.Count);
        if (entry.Succeeded)
        {
            BootstrapLog.AlreadyComplete(logger, machineUid);
            progress.Report(Done(machineUid, steps));
            return BootstrapOutcome.Success;
        }

        BootstrapLog.Starting(logger, machineUid, steps.Count, entry.CompletedSteps);
        var context = new BootstrapContext(root, runner, systemd, options);
        for (var index = entry.CompletedSteps; index < steps.Count; index++)
        {
            var step = steps[index];
            BootstrapLog.StepStarted(logger, index + 1, steps.Count, step.Name);
            progress.Report(new BootstrapProgress { MachineUid = machineUid, Step = (uint)(index + 1), TotalSteps = (uint)steps.Count, StepName = step.Name });
            try
            {
                await step.ExecuteAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is BootstrapStepFailedException or IOException or UnauthorizedAccessException or PathEscapeException)
            {
                return Fail(machineUid, $"step {index + 1}/{steps.Count} {step.Name}: {e.Message}");
            }

            entry = entry with { CompletedSteps = index + 1, LastStepName = step.Name };
            journal.Save(entry);
        }

        if (!IsSentinelPresent())
        {
            return Fail(machineUid, $"all {steps.Count} steps ran but {BootstrapOptions.SentinelPath} does not exist");
        }

        journal.Save(entry with { Succeeded = true });
        BootstrapLog.Succeeded(logger, machineUid);
        progress.Report(Done(machineUid, steps));
        return BootstrapOutcome.Success;
    }

    private static BootstrapProgress Done(string machineUid, IReadOnlyList<BootstrapStep> steps) => new()
    {
        MachineUid = machineUid, Step = (uint)steps.Count, TotalSteps = (uint)steps.Count,
        StepName = steps.Count > 0 ? steps[^1].Name : string.Empty, Complete = true,
    };

    /// <summary>Whether CAPI's success sentinel exists under the root (the executor's "done" test).</summary>
    public bool IsSentinelPresent() => File.Exists(root.Resolve(BootstrapOptions.SentinelPath));

    private IReadOnlyList<BootstrapStep> Plan(Provision provision, ReadOnlyMemory<byte> data)
    {
        if (data.Length > options.MaxDataBytes)
        {
            throw new BootstrapParseException($"bootstrap data is larger than {options.MaxDataBytes} bytes");
        }

        switch (provision.Format)
        {
            case BootstrapFormat.CloudConfig:
                string text;
                try
                {
                    text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(data.Span);
                }
                catch (DecoderFallbackException)
                {
                    throw new BootstrapParseException("cloud-config: data is not valid UTF-8");
                }

                var rendered = JinjaTemplate.Render(text, TemplateVariables.From(provision.Metadata ?? new MachineMetadata()));
                return CloudConfigPlanner.Plan(CloudConfigParser.Parse(rendered));
            case BootstrapFormat.Ignition:
                return IgnitionParser.Parse(data.ToArray());
            default:
                throw new BootstrapParseException($"bootstrap format {provision.Format} is not supported");
        }
    }

    private BootstrapOutcome Fail(string machineUid, string reason)
    {
        BootstrapLog.Failed(logger, machineUid, reason);
        return BootstrapOutcome.Failed(reason);
    }
}
