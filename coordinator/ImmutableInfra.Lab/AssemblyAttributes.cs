using System.Runtime.Versioning;

// Runs simulated hosts, whose agent is Linux-only.
[assembly: SupportedOSPlatform("linux")]
