using System.Runtime.Versioning;

// Runs the Linux-only agent; simulated hosts exist only where the agent does.
[assembly: SupportedOSPlatform("linux")]
