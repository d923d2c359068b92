using System.Runtime.Versioning;

// Reads /proc and uses the lab, which is Linux-only.
[assembly: SupportedOSPlatform("linux")]
