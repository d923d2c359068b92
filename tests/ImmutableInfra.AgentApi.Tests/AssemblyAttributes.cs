using System.Runtime.Versioning;

[assembly: SupportedOSPlatform("linux")]

// Each test starts its own API server, coordinator or python peer and loads them; one at a time on 2 cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
