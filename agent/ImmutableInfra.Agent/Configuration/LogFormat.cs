namespace ImmutableInfra.Agent.Configuration;

/// <summary>How log events are rendered on stdout.</summary>
internal enum LogFormat
{
    /// <summary>Plain lines with a "&lt;N&gt;" syslog priority prefix, which journald understands.</summary>
    Journald,

    /// <summary>One JSON object per line.</summary>
    Json,
}
