using Serilog.Events;
using Serilog.Formatting;
using Serilog.Parsing;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>
/// One line per event with a "&lt;N&gt;" syslog priority prefix: journald reads the prefix as the
/// priority and strips it, so `journalctl -p warning` works without a journald client library.
/// </summary>
internal sealed class SyslogPrefixFormatter : ITextFormatter
{
    public void Format(LogEvent logEvent, TextWriter output)
    {
        output.Write('<');
        output.Write(Priority(logEvent.Level));
        output.Write('>');
        if (logEvent.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: string name })
        {
            output.Write(name[(name.LastIndexOf('.') + 1)..]);
            output.Write(": ");
        }

        // Newlines inside a message would start a new journal entry at default priority.
        output.Write(RenderPlain(logEvent).ReplaceLineEndings(" "));
        if (logEvent.Exception is { } exception)
        {
            output.Write(" | ");
            output.Write(exception.GetType().Name);
            output.Write(": ");
            output.Write(exception.Message.ReplaceLineEndings(" "));
        }

        output.Write('\n');
    }

    /// <summary>The message with string properties unquoted: a journal line is read by people, not parsed.</summary>
    private static string RenderPlain(LogEvent logEvent)
    {
        using var writer = new StringWriter(global::System.Globalization.CultureInfo.InvariantCulture);
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is PropertyToken property && logEvent.Properties.TryGetValue(property.PropertyName, out var value))
            {
                if (value is ScalarValue { Value: string text })
                {
                    writer.Write(text);
                }
                else
                {
                    value.Render(writer, property.Format, global::System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            else
            {
                token.Render(logEvent.Properties, writer, global::System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return writer.ToString();
    }

    public static int Priority(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => 7,
        LogEventLevel.Information => 6,
        LogEventLevel.Warning => 4,
        LogEventLevel.Error => 3,
        _ => 2,
    };
}
