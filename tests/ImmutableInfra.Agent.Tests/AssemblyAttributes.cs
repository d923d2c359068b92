using System.Runtime.Versioning;

// The agent manages Linux hosts (sysfs, udev, systemd, unix sockets); it never runs elsewhere.
[assembly: SupportedOSPlatform("linux")]
