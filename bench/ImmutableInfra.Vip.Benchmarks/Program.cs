using System.Globalization;
using ImmutableInfra.Agent.Vip;
using ImmutableInfra.Agent.VipNet.Harness;

// The VIP under faults: the agent's Lease arbiter over keepalived against plain keepalived with the same
// configuration and advert interval, in the same run, at the shipped timings (VipOptions' defaults, the
// coordinator's advert interval). Needs root (network namespaces).
// Usage: vip-failover [--runs N] [--advert-ms MS]
var runs = Argument("--runs", 2);
var advert = TimeSpan.FromMilliseconds(Argument("--advert-ms", (int)KeepalivedConfigRenderer.DefaultAdvertInterval.TotalMilliseconds));
var options = VipCluster.ArbiterOptions;
var stable = TimeSpan.FromSeconds(1);
var settle = TimeSpan.FromSeconds(4);
var window = TimeSpan.FromSeconds(10);

var scenarios = new (string Name, Func<VipCluster, int, Task<TimeSpan>> Fault, TimeSpan Watch)[]
{
    ("hard kill (SIGKILL + link down)", (c, h) => c.HardKillAsync(h), settle),
    ("holder loses the API", (c, h) => c.CutApiAsync(h), settle),
    ("VRRP cut between hosts", (c, _) => c.CutVrrpAsync(), settle),
    ("graceful stop", (c, h) => c.GracefulStopAsync(h), settle),
    ($"API latency 0.4 R ({(options.RenewDeadline * 0.4).TotalMilliseconds:0} ms), 10 s", (c, _) => Task.FromResult(c.SetApiLatency(options.RenewDeadline * 0.4)), window),
    ($"API latency 0.8 R ({(options.RenewDeadline * 0.8).TotalMilliseconds:0} ms), 10 s", (c, _) => Task.FromResult(c.SetApiLatency(options.RenewDeadline * 0.8)), window),
    ("50 % of API requests 429, 10 s", (c, _) => Task.FromResult(c.SetApiThrottling(0.5)), window),
    ("90 % of API requests 429, 10 s", (c, _) => Task.FromResult(c.SetApiThrottling(0.9)), window),
    ("holder's agent frozen 3 D", async (c, h) =>
    {
        var at = c.FreezeArbiter(h);
        await VipCluster.RunForAsync(options.LeaseDuration * 3);
        c.ThawArbiter(h);
        return at;
    }, settle),
    ("holder's link flapping 300 ms, 8 s", (c, h) => c.FlapLinkAsync(h, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(8)), settle),
};

Console.WriteLine($"VIP under faults: 3 hosts, advert {advert.TotalMilliseconds:0} ms, {runs} runs per cell; arbiter Lease {options.LeaseDuration.TotalSeconds:0.##} s / "
    + $"renew {options.RenewDeadline.TotalSeconds:0.##} s / retry {options.RetryPeriod.TotalSeconds:0.##} s; samples every 20 ms");
Console.WriteLine("failover = fault to the first sample with exactly one holder other than the old one; no holder / two holders = time after the fault "
    + "(two holders also from ip monitor's address timestamps, arbitrated); moves = changes of the single holder after the fault; median (max) over runs");
Console.WriteLine();
Console.WriteLine($"| {"scenario",-36} | {"VIP arbiter",-70} | {"plain keepalived",-70} |");
Console.WriteLine($"| {new string('-', 36)} | {new string('-', 70)} | {new string('-', 70)} |");

await using var lab = await VipLab.StartAsync();
foreach (var (name, fault, watch) in scenarios)
{
    var cells = new List<string>();
    foreach (var arbitrated in new[] { true, false })
    {
        var outcomes = new List<FaultOutcome>();
        for (var run = 0; run < runs; run++)
        {
            await using var cluster = await lab.StartClusterAsync(arbitrated, advert);
            var holder = await cluster.WaitForSingleHolderAsync(stable, TimeSpan.FromSeconds(15));
            var at = await fault(cluster, holder);
            await VipCluster.RunForAsync(watch);
            outcomes.Add(cluster.Outcome(at, holder));
        }

        cells.Add(Cell(outcomes));
    }

    Console.WriteLine($"| {name,-36} | {cells[0],-70} | {cells[1],-70} |");
}

static string Cell(List<FaultOutcome> outcomes)
{
    var failovers = outcomes.Where(o => o.Failover is not null).Select(o => o.Failover!.Value.TotalMilliseconds).Order().ToList();
    var failover = failovers.Count == 0
        ? "no move"
        : $"failover {failovers[failovers.Count / 2]:0} ms (max {failovers[^1]:0})" + (failovers.Count < outcomes.Count ? $" in {failovers.Count}/{outcomes.Count}" : string.Empty);
    var none = outcomes.Select(o => o.NoHolderAfterFault.TotalMilliseconds).Order().ToList();
    var monitor = outcomes.All(o => o.MonitorOverlap is not null) ? $" (ip monitor {outcomes.Max(o => o.MonitorOverlap!.Value.TotalMilliseconds):0.###})" : string.Empty;
    return string.Create(CultureInfo.InvariantCulture,
        $"{failover}; no holder {none[none.Count / 2]:0} ms (max {none[^1]:0}); two holders max {outcomes.Max(o => o.TwoHoldersAfterFault.TotalMilliseconds):0} ms{monitor}; moves max {outcomes.Max(o => o.Moves)}");
}

int Argument(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
