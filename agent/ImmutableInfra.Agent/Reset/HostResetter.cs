using ImmutableInfra.Agent.Bootstrap;
using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Contract.V1;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Reset;

/// <summary>
/// Undoes a provision: kubeadm reset, Kubernetes/CNI state removed, data disks wiped per policy.
/// Idempotent (every step tolerates having run before) and never loops: the first failure ends
/// the reset with FAILED and its reason.
/// </summary>
internal sealed class HostResetter(
    HostRoot root,
    ICommandRunner runner,
    Func<InventorySnapshot> readInventory,
    DiskWiper wiper,
    BootstrapJournal journal,
    ResetOptions options,
    ILogger<HostResetter> logger)
{
    public const string KubeadmResetStep = "kubeadm-reset";
    public const string RemoveStateStep = "remove-state";
    public const string WipeStep = "wipe";

    public async Task<ResetOutcome> ResetAsync(ContractReset reset, IProgress<ResetProgress> progress, CancellationToken cancellationToken)
    {
        var report = new ResetProgress { Step = KubeadmResetStep };
        ResetLog.StepStarted(logger, KubeadmResetStep);
        progress.Report(report.Clone());
        await KubeadmResetAsync(cancellationToken).ConfigureAwait(false);

        report.Step = RemoveStateStep;
        ResetLog.StepStarted(logger, RemoveStateStep);
        progress.Report(report.Clone());
        if (RemoveState() is { } removeFailure)
        {
            return Fail(removeFailure);
        }

        report.Step = WipeStep;
        ResetLog.StepStarted(logger, WipeStep);
        // Read the disks now, after kubeadm reset unmounted pod volumes: refusals must reflect the present.
        var plan = WipePlan.For(readInventory().Disks, reset, options.PersistentDisks);
        report.Disks.AddRange(plan.Select(p => p.Pending));
        progress.Report(report.Clone());
        for (var i = 0; i < plan.Count; i++)
        {
            var entry = plan[i];
            if (entry.Disk is null)
            {
                report.Disks[i] = entry.Pending;
                continue;
            }

            var index = i;
            var diskProgress = new InlineProgress<DiskWipeProgress>(p =>
            {
                report.Disks[index] = p;
                progress.Report(report.Clone());
            });
            var result = await wiper.WipeAsync(entry.Disk, entry.Policy, entry.Persistent, diskProgress, cancellationToken).ConfigureAwait(false);
            report.Disks[i] = result;
            if (result.State == DiskWipeState.Failed)
            {
                progress.Report(report.Clone());
                return Fail($"wipe of {result.Disk} failed: {result.Reason}");
            }
        }

        report.Complete = true;
        progress.Report(report.Clone());
        ResetLog.Complete(logger);
        return ResetOutcome.Success;
    }

    private async Task KubeadmResetAsync(CancellationToken cancellationToken)
    {
        var kubeadm = options.KubeadmPaths.FirstOrDefault(root.Exists);
        if (kubeadm is null)
        {
            return;
        }

        var result = await runner.RunAsync(new CommandRequest(kubeadm, ["reset", "--force"], options.KubeadmResetTimeout), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            // kubeadm reset fails on half-provisioned hosts; the state removal below covers what it would remove.
            ResetLog.KubeadmResetFailed(logger, result.ExitCode, result.TimedOut);
        }
    }

    private string? RemoveState()
    {
        foreach (var hostPath in options.StatePaths)
        {
            var path = root.Resolve(hostPath);
            try
            {
                if (Directory.Exists(path) && new FileInfo(path).LinkTarget is null)
                {
                    Directory.Delete(path, recursive: true);
                }
                else if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
                {
                    File.Delete(path);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"removing {hostPath} failed: {e.Message}";
            }
        }

        try
        {
            // The sentinel is gone now; a journal claiming success would make the next provision a no-op.
            journal.Clear();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"removing the bootstrap journal failed: {e.Message}";
        }

        return null;
    }

    private ResetOutcome Fail(string reason)
    {
        ResetLog.Failed(logger, reason);
        return ResetOutcome.Failed(reason);
    }

    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
