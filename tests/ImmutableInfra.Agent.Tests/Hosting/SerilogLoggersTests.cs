using ImmutableInfra.Agent.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace ImmutableInfra.Agent.Tests.Hosting;

public sealed class SerilogLoggersTests
{
    private sealed class CollectingSink : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];

        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }

    private static (ILoggerFactory Loggers, CollectingSink Sink) Create(LogEventLevel minimum = LogEventLevel.Information)
    {
        var sink = new CollectingSink();
        var serilog = new LoggerConfiguration().MinimumLevel.Is(minimum).WriteTo.Sink(sink).CreateLogger();
        return (new SerilogLoggers(serilog), sink);
    }

    [Fact]
    public void LoggerMessage_BecomesTemplatedEventWithSourceContextAndEventId()
    {
        var (loggers, sink) = Create();

        var logger = loggers.CreateLogger("ImmutableInfra.Agent.Hosting.AgentHostedService");

        HostingLog.InventoryRead(logger, 3, 2, 8u, "abc");

        var logEvent = Assert.Single(sink.Events);
        Assert.Equal(LogEventLevel.Information, logEvent.Level);
        Assert.Equal("Inventory read: {Disks} disks, {Nics} NICs, {Threads} CPU threads, fingerprint {Fingerprint}", logEvent.MessageTemplate.Text);
        Assert.Equal("Inventory read: 3 disks, 2 NICs, 8 CPU threads, fingerprint \"abc\"", logEvent.RenderMessage(global::System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("\"ImmutableInfra.Agent.Hosting.AgentHostedService\"", logEvent.Properties["SourceContext"].ToString());
        Assert.Equal(3, ((ScalarValue)logEvent.Properties["Disks"]).Value);
        Assert.Equal(8u, ((ScalarValue)logEvent.Properties["Threads"]).Value);
        var eventId = Assert.IsType<StructureValue>(logEvent.Properties["EventId"]);
        Assert.Equal(1001, ((ScalarValue)Assert.Single(eventId.Properties, p => p.Name == "Id").Value).Value);
        Assert.Equal("InventoryRead", ((ScalarValue)Assert.Single(eventId.Properties, p => p.Name == "Name").Value).Value);
        Assert.DoesNotContain("{OriginalFormat}", logEvent.Properties.Keys);
    }

    [Fact]
    public void Levels_MapToSerilogAndRespectTheMinimum()
    {
        var (loggers, sink) = Create(LogEventLevel.Warning);
        var logger = loggers.CreateLogger("Test");

        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
        Assert.False(logger.IsEnabled(LogLevel.None));
        HostingLog.Stopping(logger);
        var failure = new InvalidOperationException("boom");
        HostingLog.ServiceFailed(logger, failure);

        var logEvent = Assert.Single(sink.Events);
        Assert.Equal(LogEventLevel.Fatal, logEvent.Level);
        Assert.Equal("boom", logEvent.Exception?.Message);
    }

    [Fact]
    public void StateWithoutTemplate_IsLoggedAsItsFormattedText()
    {
        var (loggers, sink) = Create();

        loggers.CreateLogger("Test").Log(LogLevel.Information, new EventId(0), 42, null, (state, _) => $"answer {state}");

        var logEvent = Assert.Single(sink.Events);
        Assert.Equal("answer 42", logEvent.RenderMessage(global::System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain("EventId", logEvent.Properties.Keys);
    }
}
