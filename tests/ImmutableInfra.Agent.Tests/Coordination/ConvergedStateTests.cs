using ImmutableInfra.Agent.Coordination;
using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Tests.Coordination;

public sealed class ConvergedStateTests
{
    [Fact]
    public void Store_SavedState_IsLoadedBackOwnerOnlyWithoutVolatileFields()
    {
        using var dir = new TempDirectory();
        var store = new ConvergedStateStore(dir.Combine("state"));
        var state = new ObservedState
        {
            AckedGeneration = 7, Phase = HostPhase.Failed, FailureReason = "step 2/4 runcmd 1: exited with code 1", Hostname = "node-1",
            ObservedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch),
        };
        state.Addresses.Add("198.18.0.7/24");

        store.Save(state);
        var loaded = store.Load();

        Assert.Equal((7L, HostPhase.Failed, "step 2/4 runcmd 1: exited with code 1"), (loaded.AckedGeneration, loaded.Phase, loaded.FailureReason));
        Assert.Null(loaded.ObservedAt);
        Assert.Empty(loaded.Addresses);
        Assert.Empty(loaded.Hostname);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Path));
    }

    [Fact]
    public void Store_NothingOrDamageStored_StartsIdleAtGenerationZero()
    {
        using var dir = new TempDirectory();
        var store = new ConvergedStateStore(dir.Combine("state"));
        Assert.Equal(new ObservedState { Phase = HostPhase.Idle }, store.Load());

        Directory.CreateDirectory(dir.Combine("state"));
        File.WriteAllBytes(store.Path, [0xff, 0xff, 0xff]);
        Assert.Equal(new ObservedState { Phase = HostPhase.Idle }, store.Load());
    }

    [Fact]
    public void Tracker_UpdateThatChangesNothing_DoesNotSignalAChange()
    {
        var tracker = new ObservedStateTracker(new ObservedState { Phase = HostPhase.Idle });
        var (_, changed) = tracker.Snapshot();

        tracker.Update(s => s.Phase = HostPhase.Idle);
        Assert.False(changed.IsCompleted);

        tracker.Update(s => s.Phase = HostPhase.Provisioning);
        Assert.True(changed.IsCompleted);
    }

    [Fact]
    public void Tracker_PersistFails_LeavesTheStateUnchanged()
    {
        var tracker = new ObservedStateTracker(new ObservedState { Phase = HostPhase.Idle });

        Assert.Throws<IOException>(() => tracker.Update(s => s.AckedGeneration = 3, _ => throw new IOException("disk full")));

        Assert.Equal(0, tracker.AckedGeneration);
    }
}
