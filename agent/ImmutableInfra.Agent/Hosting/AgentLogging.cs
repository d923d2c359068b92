using ImmutableInfra.Agent.Configuration;
using Serilog;
using Serilog.Formatting;
using Serilog.Formatting.Json;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>Builds the Serilog logger: journald-prefixed lines by default, JSON lines on request.</summary>
internal static class AgentLogging
{
    public static Serilog.Core.Logger Create(LogFormat format)
    {
        ITextFormatter formatter = format == LogFormat.Json ? new JsonFormatter(renderMessage: true) : new SyslogPrefixFormatter();
        var configuration = new LoggerConfiguration().MinimumLevel.Information().Enrich.FromLogContext();
        return configuration.WriteTo.Console(formatter).CreateLogger();
    }
}
