using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Parsing;
using MelLogger = Microsoft.Extensions.Logging.ILogger;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>
/// Microsoft.Extensions.Logging loggers that write to the agent's Serilog logger: one per category, tagged with
/// SourceContext, the message template from "{OriginalFormat}", every other state entry bound as a property, and
/// EventId as an { Id, Name } structure — the events Serilog.Extensions.Logging's SerilogLoggerFactory produced.
/// </summary>
/// <remarks>
/// Replaces that package for the NativeAOT footprint (docs/benchmarks.md, Agent footprint): its
/// <c>ILogger.Log&lt;TState&gt;</c> does all the work in generic code, so NativeAOT compiled a 2 KB copy for every
/// distinct [LoggerMessage] parameter list. Here the generic part only boxes the state; the rest is shared.
/// Scopes are not supported: nothing the agent links opens one (BeginScope returns null, which callers accept).
/// </remarks>
internal sealed class SerilogLoggers(Serilog.ILogger serilog) : ILoggerFactory
{
    public MelLogger CreateLogger(string categoryName) =>
        new SerilogCategoryLogger(serilog.ForContext(Constants.SourceContextPropertyName, categoryName));

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("The agent's loggers write to Serilog only.");

    public void Dispose()
    {
        // The Serilog logger belongs to the caller, which flushes and disposes it.
    }
}

internal sealed class SerilogCategoryLogger(Serilog.ILogger serilog) : MelLogger
{
    private const string OriginalFormat = "{OriginalFormat}";

    // Event ids below this are common; their Id properties are shared rather than allocated per event.
    private static readonly LogEventProperty[] LowEventIds =
        [.. Enumerable.Range(0, 48).Select(id => new LogEventProperty("Id", new ScalarValue(id)))];

    // Templates are [LoggerMessage] constants, so few; the bound only guards against callers that build them.
    private const int MaxCachedTemplates = 1000;
    private static readonly ConcurrentDictionary<string, MessageTemplate> Templates = new(StringComparer.Ordinal);
    private static readonly MessageTemplateParser Parser = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && serilog.IsEnabled(ToSerilog(logLevel));

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        // Kept this small on purpose: NativeAOT compiles it once per state type.
        var structure = state as IEnumerable<KeyValuePair<string, object?>>;
        if (!HasTemplate(structure))
        {
            Write(logLevel, eventId, structure, exception, fallbackMessage: state is null ? null : formatter(state, null), stateIsNull: state is null);
            return;
        }

        Write(logLevel, eventId, structure, exception, fallbackMessage: null, stateIsNull: false);
    }

    private static bool HasTemplate(IEnumerable<KeyValuePair<string, object?>>? structure)
    {
        if (structure is null)
        {
            return false;
        }

        foreach (var (key, value) in structure)
        {
            if (key == OriginalFormat && value is string)
            {
                return true;
            }
        }

        return false;
    }

    private void Write(
        LogLevel logLevel, EventId eventId, IEnumerable<KeyValuePair<string, object?>>? structure, Exception? exception, string? fallbackMessage, bool stateIsNull)
    {
        try
        {
            string? template = null;
            var properties = new List<LogEventProperty>();
            foreach (var (key, value) in structure ?? [])
            {
                if (key == OriginalFormat && value is string format)
                {
                    template = format;
                }
                else if (key.StartsWith('@'))
                {
                    Bind(key[1..], value, destructure: true, properties);
                }
                else if (key.StartsWith('$'))
                {
                    Bind(key[1..], value?.ToString(), destructure: true, properties);
                }
                else
                {
                    Bind(key, value, destructure: false, properties);
                }
            }

            if (template is null && !stateIsNull)
            {
                // A state without a message template (not a [LoggerMessage] or LogInformation call): its formatted text.
                // (Serilog.Extensions.Logging named the property after a non-generic state's type; nothing here logs one.)
                template = "{State:l}";
                Bind("State", fallbackMessage, destructure: false, properties);
            }

            if (eventId.Id != 0 || eventId.Name is not null)
            {
                properties.Add(EventIdProperty(eventId));
            }

            serilog.Write(new LogEvent(DateTimeOffset.Now, ToSerilog(logLevel), exception, Parse(template ?? string.Empty), properties));
        }
#pragma warning disable CA1031 // A log call must never throw into the agent; Serilog reports its own failures the same way.
        catch (Exception e)
#pragma warning restore CA1031
        {
            SelfLog.WriteLine("Failed to write event through {0}: {1}", nameof(SerilogCategoryLogger), e);
        }
    }

    private static MessageTemplate Parse(string template)
    {
        if (Templates.TryGetValue(template, out var parsed))
        {
            return parsed;
        }

        parsed = Parser.Parse(template);
        if (Templates.Count < MaxCachedTemplates)
        {
            Templates.TryAdd(template, parsed);
        }

        return parsed;
    }

    private void Bind(string name, object? value, bool destructure, List<LogEventProperty> properties)
    {
        if (serilog.BindProperty(name, value, destructure, out var property))
        {
            properties.Add(property);
        }
    }

    private static LogEventProperty EventIdProperty(EventId eventId)
    {
        var parts = new List<LogEventProperty>(2);
        if (eventId.Id != 0)
        {
            parts.Add(eventId.Id is >= 0 and < 48 ? LowEventIds[eventId.Id] : new LogEventProperty("Id", new ScalarValue(eventId.Id)));
        }

        if (eventId.Name is not null)
        {
            parts.Add(new LogEventProperty("Name", new ScalarValue(eventId.Name)));
        }

        return new LogEventProperty("EventId", new StructureValue(parts));
    }

    private static LogEventLevel ToSerilog(LogLevel level) => level switch
    {
        LogLevel.Critical => LogEventLevel.Fatal,
        LogLevel.Error => LogEventLevel.Error,
        LogLevel.Warning => LogEventLevel.Warning,
        LogLevel.Information => LogEventLevel.Information,
        LogLevel.Debug => LogEventLevel.Debug,
        _ => LogEventLevel.Verbose,
    };
}
