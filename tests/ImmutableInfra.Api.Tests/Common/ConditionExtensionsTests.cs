using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Api.Tests.Common;

public sealed class ConditionExtensionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddMinutes(5);

    [Fact]
    public void Conditions_NewType_IsAddedWithTransitionTimeNow()
    {
        var status = new BaremetalMachineStatus();

        var changed = status.SetCondition(ConditionTypes.Ready, ConditionStatus.False, "WaitingForHost", "no host", 1, T0);

        var ready = Assert.Single(status.Conditions!);
        Assert.True(changed);
        Assert.Equal(("Ready", "False", "WaitingForHost", "no host", 1L, T0),
            (ready.Type, ready.Status, ready.Reason, ready.Message, ready.ObservedGeneration!.Value, ready.LastTransitionTime!.Value));
    }

    [Fact]
    public void Conditions_SameStatus_KeepsLastTransitionTime()
    {
        var status = new BaremetalMachineStatus();
        status.SetCondition(ConditionTypes.Ready, ConditionStatus.False, "WaitingForHost", "no host", 1, T0);

        var changed = status.SetCondition(ConditionTypes.Ready, ConditionStatus.False, "Provisioning", "step 3/9", 2, T1);

        var ready = status.GetCondition(ConditionTypes.Ready)!;
        Assert.True(changed);
        Assert.Equal(T0, ready.LastTransitionTime);
        Assert.Equal(("Provisioning", "step 3/9", 2L), (ready.Reason, ready.Message, ready.ObservedGeneration!.Value));
    }

    [Fact]
    public void Conditions_StatusChange_MovesLastTransitionTime()
    {
        var status = new BaremetalClusterStatus();
        status.SetCondition(ConditionTypes.Ready, ConditionStatus.False, "Pending", null, 1, T0);

        status.SetCondition(ConditionTypes.Ready, ConditionStatus.True, "Provisioned", null, 1, T1);

        Assert.Equal(T1, status.GetCondition(ConditionTypes.Ready)!.LastTransitionTime);
        Assert.True(status.IsConditionTrue(ConditionTypes.Ready));
    }

    [Fact]
    public void Conditions_IdenticalSet_ReportsNoChange()
    {
        var status = new MachineInventoryStatus();
        status.SetCondition("AgentConnected", ConditionStatus.True, "StreamOpen", null, 3, T0);

        var changed = status.SetCondition("AgentConnected", ConditionStatus.True, "StreamOpen", null, 3, T1);

        Assert.False(changed);
        Assert.Equal(T0, status.GetCondition("AgentConnected")!.LastTransitionTime);
    }

    [Fact]
    public void Conditions_OtherTypes_AreLeftAlone()
    {
        var status = new MachineInventoryPoolStatus();
        status.SetCondition(ConditionTypes.Ready, ConditionStatus.True, "Ok", null, 1, T0);
        status.SetCondition(ConditionTypes.Paused, ConditionStatus.True, "Paused", null, 1, T0);

        status.SetCondition(ConditionTypes.Ready, ConditionStatus.False, "NoHosts", null, 1, T1);

        Assert.Equal(2, status.Conditions!.Count);
        Assert.Equal(T0, status.GetCondition(ConditionTypes.Paused)!.LastTransitionTime);
    }

    [Fact]
    public void Conditions_InvalidStatus_IsRejected()
    {
        var status = new BaremetalMachineStatus();

        Assert.Throws<ArgumentOutOfRangeException>(() => status.SetCondition(ConditionTypes.Ready, "true", "R", null, 1, T0));
    }

    [Fact]
    public void Conditions_Remove_DropsOnlyThatType()
    {
        var status = new BaremetalMachineStatus();
        status.SetCondition(ConditionTypes.Ready, ConditionStatus.True, "Ok", null, 1, T0);
        status.SetCondition(ConditionTypes.Paused, ConditionStatus.True, "Paused", null, 1, T0);

        Assert.True(status.RemoveCondition(ConditionTypes.Paused));
        Assert.False(status.RemoveCondition(ConditionTypes.Paused));
        Assert.Null(status.GetCondition(ConditionTypes.Paused));
        Assert.NotNull(status.GetCondition(ConditionTypes.Ready));
    }

    [Fact]
    public void Conditions_Absent_AreNotTrue()
    {
        Assert.False(new BaremetalClusterStatus().IsConditionTrue(ConditionTypes.Ready));
    }
}
