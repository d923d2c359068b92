using System.Text;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Tests.Client;

public sealed class WatchLineTests
{
    private static async Task<List<string>> ReadAllAsync(string text, int maxLine, int chunk = 7)
    {
        using var stream = new ChunkedStream(Encoding.UTF8.GetBytes(text), chunk);
        var reader = new WatchLineReader(stream, maxLine);
        var lines = new List<string>();
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            lines.Add(Encoding.UTF8.GetString(line.Span));
        }

        return lines;
    }

    [Fact]
    public async Task ReadLine_LinesSplitAcrossReads_AreReassembled()
    {
        var lines = await ReadAllAsync("first line\nsecond\n\nthird one that is longer\n", maxLine: 1024, chunk: 3);

        Assert.Equal(["first line", "second", "third one that is longer"], lines);
    }

    [Fact]
    public async Task ReadLine_StreamCutMidLine_DropsTheFragment()
    {
        var lines = await ReadAllAsync("{\"type\":\"ADDED\"}\n{\"type\":\"MOD", maxLine: 1024);

        Assert.Equal(["{\"type\":\"ADDED\"}"], lines);
    }

    [Fact]
    public async Task ReadLine_LongerThanTheBound_Throws()
    {
        var error = await Assert.ThrowsAsync<WatchLineTooLongException>(() => ReadAllAsync(new string('x', 5000) + "\n", maxLine: 1024));

        Assert.Contains("1024", error.Message);
    }

    [Fact]
    public void Parse_Bookmark_CarriesOnlyTheResourceVersion()
    {
        var e = WatchLineParser.Parse("""{"type":"BOOKMARK","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"42"}}}"""u8, KubeJsonContext.Default.ConfigMap);

        Assert.Equal(WatchEventType.Bookmark, e.Type);
        Assert.Equal("42", e.ResourceVersion);
    }

    [Fact]
    public void Parse_ErrorEvent_CarriesTheStatus()
    {
        var e = WatchLineParser.Parse("""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Expired","code":410}}"""u8, KubeJsonContext.Default.ConfigMap);

        Assert.Equal(WatchEventType.Error, e.Type);
        Assert.Equal(410, e.Status!.Code);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"type":"ADDED"}""")]
    [InlineData("""{"type":"EXPLODED","object":{}}""")]
    public void Parse_InvalidLine_ThrowsJsonException(string line)
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => WatchLineParser.Parse(Encoding.UTF8.GetBytes(line), KubeJsonContext.Default.ConfigMap));
    }

    [Fact]
    public void RetryBackoff_RetryAfter_IsHonouredUpToItsCap()
    {
        var options = new KubeClientOptions { MaxRetryAfter = TimeSpan.FromSeconds(5) };

        Assert.Equal(TimeSpan.FromSeconds(2), RetryBackoff.Delay(1, options, TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromSeconds(5), RetryBackoff.Delay(1, options, TimeSpan.FromMinutes(10)));
        Assert.InRange(RetryBackoff.Delay(10, options, null), options.MaxBackoff / 2, options.MaxBackoff);
    }

    [Theory]
    [InlineData(404, null, typeof(KubeNotFoundException))]
    [InlineData(409, "Conflict", typeof(KubeConflictException))]
    [InlineData(409, "AlreadyExists", typeof(KubeAlreadyExistsException))]
    [InlineData(422, "Invalid", typeof(KubeInvalidException))]
    [InlineData(403, "Forbidden", typeof(KubeForbiddenException))]
    [InlineData(401, "Unauthorized", typeof(KubeUnauthorizedException))]
    [InlineData(429, "TooManyRequests", typeof(KubeTooManyRequestsException))]
    [InlineData(410, "Expired", typeof(KubeGoneException))]
    [InlineData(500, "InternalError", typeof(KubeApiException))]
    public void StatusBody_BecomesTypedException(int code, string? reason, Type expected)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":{{(reason is null ? "null" : $"\"{reason}\"")}},"code":{{code}}}""");

        var status = KubeApiErrors.ParseStatus((System.Net.HttpStatusCode)code, body);

        Assert.IsType(expected, KubeApiErrors.Create((System.Net.HttpStatusCode)code, status));
    }

    [Fact]
    public void StatusBody_NotJson_KeepsTheTextAsMessage()
    {
        var status = KubeApiErrors.ParseStatus(System.Net.HttpStatusCode.BadGateway, "<html>bad gateway</html>"u8);

        Assert.Equal("<html>bad gateway</html>", status.Message);
        Assert.Equal(502, status.Code);
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read, like a network stream.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
