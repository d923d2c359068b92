using ImmutableInfra.Agent.Configuration;
using Serilog;
using Serilog.Formatting;
using Serilog.Formatting.Json;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>The agent's Serilog logger (behind Microsoft.Extensions.Logging): journald-prefixed lines by default, JSON lines on request.</summary>
internal static class AgentLogging
{
    public static Serilog.Core.Logger Create(LogFormat format)
    {
        ITextFormatter formatter = format == LogFormat.Json ? new JsonFormatter(renderMessage: true) : new SyslogPrefixFormatter();
        return new LoggerConfiguration().MinimumLevel.Information().Enrich.FromLogContext().WriteTo.Console(formatter).CreateLogger();
    }
}
