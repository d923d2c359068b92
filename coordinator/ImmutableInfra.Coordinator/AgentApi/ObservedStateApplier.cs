using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Contract.V1;
using ImmutableInfra.Coordinator.Hosts;
using ApiBootstrapProgress = ImmutableInfra.Api.V1Beta1.BootstrapProgress;

namespace ImmutableInfra.Coordinator.AgentApi;

/// <summary>Copies what an agent reports into its host's status; the writer skips the write when nothing differs.</summary>
internal static class ObservedStateApplier
{
    public static bool Apply(MachineInventoryStatus status, ObservedState observed)
    {
        status.AcknowledgedGeneration = observed.AckedGeneration;
        status.AgentPhase = AgentPhases.From(observed.Phase) ?? status.AgentPhase;
        status.FailureReason = observed.FailureReason.Length == 0 ? null : observed.FailureReason;
        status.Bootstrap = observed.Bootstrap is { } b && b.MachineUid.Length > 0
            ? new ApiBootstrapProgress { MachineUid = b.MachineUid, Step = (int)b.Step, TotalSteps = (int)b.TotalSteps, StepName = b.StepName, Complete = b.Complete }
            : status.Bootstrap;
        if (observed.Reset is { } reset)
        {
            status.Wipe = new WipeProgress
            {
                Step = reset.Step.Length == 0 ? null : reset.Step,
                Complete = reset.Complete,
                Disks = [.. reset.Disks.Select(d => new Api.V1Beta1.DiskWipeProgress
                {
                    Disk = d.Disk,
                    Policy = InventoryConversion.ToApi(d.Policy),
                    State = InventoryConversion.ToApi(d.State),
                    BytesDone = (long)d.BytesDone,
                    BytesTotal = (long)d.BytesTotal,
                    Reason = d.Reason.Length == 0 ? null : d.Reason,
                })],
            };
        }

        status.Vip = InventoryConversion.ToApi(observed.Vip) ?? status.Vip;
        if (observed.Addresses.Count > 0)
        {
            status.Addresses = [.. observed.Addresses];
        }

        if (observed.Hostname.Length > 0)
        {
            status.Hostname = observed.Hostname;
        }

        return true;
    }
}
