using System.Runtime.Versioning;

// Network namespaces, keepalived and setns(2): Linux only.
[assembly: SupportedOSPlatform("linux")]
