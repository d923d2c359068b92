using ImmutableInfra.Agent.Hosting;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>
/// Composes STATUS= from the link ("enrolling", "connected", "retrying in 8s: reason") and the
/// host's activity ("idle", "provisioning step 3/12"), which change independently. While the host is
/// idle, each change restarts the wait for the heap release.
/// </summary>
internal sealed class LinkStatus(AgentStatus status, IdleHeapRelease heap)
{
    public const string Idle = "idle";

    private readonly Lock _gate = new();
    private string _link = "starting";
    private string _activity = Idle;

    public void SetLink(string link)
    {
        lock (_gate)
        {
            _link = link;
            Publish();
        }
    }

    public void SetActivity(string activity)
    {
        lock (_gate)
        {
            _activity = activity;
            Publish();
        }
    }

    private void Publish()
    {
        status.Set($"{_link}, {_activity}");
        if (_activity == Idle)
        {
            heap.Idle();
        }
        else
        {
            heap.Busy();
        }
    }
}
