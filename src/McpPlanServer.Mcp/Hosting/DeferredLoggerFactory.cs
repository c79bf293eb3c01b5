using Microsoft.Extensions.Logging;

namespace McpPlanServer.Mcp.Hosting;

/// <summary>
/// The console logger (on stderr) built on the first line actually logged, not at start: building it costs the Native
/// AOT server measurable start-up time (dependency injection, options, a writer thread), and at the default level
/// (warning) a session usually logs nothing. What a logged line looks like is unchanged.
/// </summary>
public sealed class DeferredLoggerFactory(LogLevel minimumLevel) : ILoggerFactory
{
    private readonly Lazy<ILoggerFactory> console = new(() => LoggerFactory.Create(logging =>
    {
        logging.SetMinimumLevel(minimumLevel);
        logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
    }));

    public ILogger CreateLogger(string categoryName) => new DeferredLogger(this, categoryName);

    /// <summary>Providers are fixed (the console on stderr).</summary>
    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("The server's loggers are fixed: the console on stderr.");

    public void Dispose()
    {
        if (console.IsValueCreated)
        {
            console.Value.Dispose();
        }
    }

    private bool IsEnabled(LogLevel level) => level != LogLevel.None && level >= minimumLevel;

    private sealed class DeferredLogger(DeferredLoggerFactory owner, string category) : ILogger
    {
        private ILogger? real;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => Real.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => owner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (owner.IsEnabled(logLevel))
            {
                Real.Log(logLevel, eventId, state, exception, formatter);
            }
        }

        private ILogger Real => real ??= owner.console.Value.CreateLogger(category);
    }
}
