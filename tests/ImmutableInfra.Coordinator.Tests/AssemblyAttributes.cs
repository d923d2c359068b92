using System.Runtime.Versioning;

[assembly: SupportedOSPlatform("linux")]

// Each test starts its own API server, coordinators and hosts; run them one at a time on 2 cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
