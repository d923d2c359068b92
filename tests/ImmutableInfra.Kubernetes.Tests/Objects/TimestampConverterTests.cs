using System.Text.Json;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Tests.Objects;

public sealed class TimestampConverterTests
{
    [Fact]
    public void Lease_Times_RoundTripWithMicroseconds()
    {
        var at = new DateTimeOffset(2026, 11, 21, 17, 30, 5, TimeSpan.Zero).AddTicks(1234560);
        var lease = new Lease { Metadata = new ObjectMeta { Name = "l" }, Spec = new LeaseSpec { RenewTime = at } };

        var json = JsonSerializer.Serialize(lease, KubeJsonContext.Default.Lease);
        var back = JsonSerializer.Deserialize(json, KubeJsonContext.Default.Lease)!;

        Assert.Contains("\"2026-11-21T17:30:05.123456Z\"", json, StringComparison.Ordinal);
        Assert.Equal(at, back.Spec!.RenewTime);
    }

    [Fact]
    public void ObjectMeta_Time_IsWrittenInWholeSecondsUtc()
    {
        var meta = new ObjectMeta { Name = "n", CreationTimestamp = new DateTimeOffset(2026, 1, 2, 4, 4, 5, 999, TimeSpan.FromHours(1)) };

        var json = JsonSerializer.Serialize(new ConfigMap { Metadata = meta }, KubeJsonContext.Default.ConfigMap);

        Assert.Contains("\"creationTimestamp\":\"2026-01-02T03:04:05Z\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MalformedTimestamp_ThrowsJsonExceptionNamingTheValue()
    {
        const string json = """{"metadata":{"name":"n","creationTimestamp":"yesterday"}}""";

        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, KubeJsonContext.Default.ConfigMap));

        Assert.Contains("yesterday", error.Message, StringComparison.Ordinal);
    }
}
