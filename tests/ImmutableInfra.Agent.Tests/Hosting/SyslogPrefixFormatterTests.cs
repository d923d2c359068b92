using ImmutableInfra.Agent.Hosting;
using Serilog.Events;
using Serilog.Parsing;

namespace ImmutableInfra.Agent.Tests.Hosting;

public sealed class SyslogPrefixFormatterTests
{
    private static string Format(LogEventLevel level, string template, params LogEventProperty[] properties)
    {
        var logEvent = new LogEvent(DateTimeOffset.UnixEpoch, level, null, new MessageTemplateParser().Parse(template), properties);
        using var writer = new StringWriter();
        new SyslogPrefixFormatter().Format(logEvent, writer);
        return writer.ToString();
    }

    [Theory]
    [InlineData(LogEventLevel.Debug, "<7>")]
    [InlineData(LogEventLevel.Information, "<6>")]
    [InlineData(LogEventLevel.Warning, "<4>")]
    [InlineData(LogEventLevel.Error, "<3>")]
    [InlineData(LogEventLevel.Fatal, "<2>")]
    public void Format_Level_MapsToSyslogPriority(LogEventLevel level, string prefix) =>
        Assert.StartsWith(prefix, Format(level, "x"), StringComparison.Ordinal);

    [Fact]
    public void Format_Message_IsOneLineWithComponentAndUnquotedStrings()
    {
        var line = Format(LogEventLevel.Information, "Disk {Disk} wiped\nin {Count} passes",
            new LogEventProperty("Disk", new ScalarValue("sdb")), new LogEventProperty("Count", new ScalarValue(2)),
            new LogEventProperty("SourceContext", new ScalarValue("ImmutableInfra.Agent.Reset.DiskWiper")));

        Assert.Equal("<6>DiskWiper: Disk sdb wiped in 2 passes\n", line);
    }
}
