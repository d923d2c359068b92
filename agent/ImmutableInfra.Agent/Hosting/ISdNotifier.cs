namespace ImmutableInfra.Agent.Hosting;

/// <summary>Tells systemd about the service's state (sd_notify protocol).</summary>
internal interface ISdNotifier
{
    /// <summary>Whether a notify socket was given (Type=notify); without one every call is a no-op.</summary>
    bool IsEnabled { get; }

    /// <summary>Sends newline-separated assignments such as "READY=1\nSTATUS=idle".</summary>
    void Notify(string state);
}
