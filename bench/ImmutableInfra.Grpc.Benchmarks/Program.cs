using System.Globalization;
using System.Runtime.InteropServices;
using Grpc.Net.Client;
using ImmutableInfra.Grpc.Benchmarks;
using ImmutableInfra.Grpc.Benchmarks.V1;

// Grpc.AspNetCore + Grpc.Net.Client vs plain Kestrel HTTP/2 + HttpClient, same payloads and concurrency, one process.
const int Rounds = 3;
var options = BenchOptions.Parse(args);
var roundDuration = options.Duration / Rounds;
var (grpcApp, grpcAddress) = await Servers.StartGrpcAsync();
var (plainApp, plainAddress) = await Servers.StartPlainAsync();
using var channel = GrpcChannel.ForAddress(grpcAddress, new GrpcChannelOptions
{
    HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
    DisposeHttpClient = true,
    MaxReceiveMessageSize = 16 * 1024 * 1024,
});
var client = new BenchService.BenchServiceClient(channel);
using var plainHttp = new HttpMessageInvoker(new SocketsHttpHandler { EnableMultipleHttp2Connections = true });

if (args.Contains("--alloc-profile"))
{
    // Where do grpc-dotnet's unary calls allocate? Sampled by type, then the plain endpoint's.
    await Scenarios.GrpcUnaryAsync(client, 64, options.Concurrency, options.Warmup);
    using var sampler = new AllocationSampler();
    await Scenarios.GrpcUnaryAsync(client, 64, options.Concurrency, options.Duration);
    foreach (var (type, bytes) in sampler.Top(12))
    {
        Console.WriteLine($"{bytes / 1000,8} KB  {type}");
    }

    Console.WriteLine("--- plain");
    using var plainSampler = new AllocationSampler();
    await Scenarios.PlainUnaryAsync(plainHttp, plainAddress, 64, options.Concurrency, options.Duration);
    foreach (var (type, bytes) in plainSampler.Top(12))
    {
        Console.WriteLine($"{bytes / 1000,8} KB  {type}");
    }

    return 0;
}

Console.WriteLine($"# grpc-dotnet benchmark: {options.Duration.TotalSeconds:0.#} s per scenario (+{options.Warmup.TotalSeconds:0.#} s warm-up), concurrency {options.Concurrency}");
Console.WriteLine($"# {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical CPUs, {CpuModel()}, server GC {System.Runtime.GCSettings.IsServerGC}");
Console.WriteLine();
Console.WriteLine("| scenario | payload | grpc-dotnet (ops/s) | plain Kestrel (ops/s) | ratio | grpc-dotnet (ops/CPU-s) | plain (ops/CPU-s) | ratio per CPU-s | bytes allocated per op, grpc-dotnet / plain |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var size in options.Sizes)
{
    await Compare(roundDuration, "unary calls/s", size,
        () => Scenarios.GrpcUnaryAsync(client, size, options.Concurrency, options.Warmup),
        () => Scenarios.GrpcUnaryAsync(client, size, options.Concurrency, roundDuration),
        () => Scenarios.PlainUnaryAsync(plainHttp, plainAddress, size, options.Concurrency, options.Warmup),
        () => Scenarios.PlainUnaryAsync(plainHttp, plainAddress, size, options.Concurrency, roundDuration));
}

foreach (var size in options.Sizes)
{
    await Compare(roundDuration, "streamed messages/s", size,
        () => Scenarios.GrpcStreamAsync(client, size, options.Concurrency, options.Warmup),
        () => Scenarios.GrpcStreamAsync(client, size, options.Concurrency, roundDuration),
        () => Scenarios.PlainStreamAsync(plainHttp, plainAddress, size, options.Concurrency, options.Warmup),
        () => Scenarios.PlainStreamAsync(plainHttp, plainAddress, size, options.Concurrency, roundDuration));
}

await plainApp.StopAsync();
await plainApp.DisposeAsync();
await grpcApp.StopAsync();
await grpcApp.DisposeAsync();
return 0;

// Ours and plain alternate in short rounds so that load from other users of the machine hits both alike.
static async Task Compare(TimeSpan roundDuration, string name, int size, Func<Task<double>> oursWarmup, Func<Task<double>> ours, Func<Task<double>> plainWarmup, Func<Task<double>> plain)
{
    await plainWarmup();
    await oursWarmup();
    double plainSum = 0, oursSum = 0;
    long plainBytes = 0, oursBytes = 0;
    TimeSpan plainCpu = TimeSpan.Zero, oursCpu = TimeSpan.Zero;
    using var process = System.Diagnostics.Process.GetCurrentProcess();
    for (var round = 0; round < Rounds; round++)
    {
        var before = GC.GetTotalAllocatedBytes();
        var cpuBefore = CpuTime(process);
        plainSum += await plain();
        var middle = GC.GetTotalAllocatedBytes();
        var cpuMiddle = CpuTime(process);
        oursSum += await ours();
        oursBytes += GC.GetTotalAllocatedBytes() - middle;
        plainBytes += middle - before;
        oursCpu += CpuTime(process) - cpuMiddle;
        plainCpu += cpuMiddle - cpuBefore;
    }

    // Wall-clock throughput moves with whatever else the machine runs; the CPU time this process
    // spends per operation (client and server together) does not, so its ratio is the steadier one.
    var seconds = roundDuration.TotalSeconds;
    var oursPerCpu = oursSum * seconds / oursCpu.TotalSeconds;
    var plainPerCpu = plainSum * seconds / plainCpu.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {size} B | {oursSum / Rounds:N0} | {plainSum / Rounds:N0} | {oursSum / plainSum:0.00}x | {oursPerCpu:N0} | {plainPerCpu:N0} | {oursPerCpu / plainPerCpu:0.00}x | {oursBytes / (oursSum * seconds):N0} / {plainBytes / (plainSum * seconds):N0} |"));
}

static TimeSpan CpuTime(System.Diagnostics.Process process)
{
    process.Refresh();
    return process.TotalProcessorTime;
}

static string CpuModel()
{
    try
    {
        var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? "unknown CPU" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
    catch (IOException)
    {
        return "unknown CPU";
    }
}
