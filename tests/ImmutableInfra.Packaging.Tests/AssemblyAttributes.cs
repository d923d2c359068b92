using System.Runtime.Versioning;

// Packaging is checked with Linux tools (rpm, systemd-nspawn, nsenter); these tests run nowhere else.
[assembly: SupportedOSPlatform("linux")]
