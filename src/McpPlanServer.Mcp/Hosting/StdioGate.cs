using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;

namespace McpPlanServer.Mcp.Hosting;

/// <summary>
/// Stands between stdin and the SDK's stream transport: reads each line with a bound (<see cref="BoundedLineReader"/>),
/// answers what <see cref="RequestScreen"/> refuses on stdout itself, and passes every other line on unchanged. The SDK
/// therefore never sees a line longer than the limit, and memory stays bounded whatever a client sends.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "The output stream is ServerOutput, handed to the SDK's stream transport, which disposes it.")]
public sealed class StdioGate
{
    private readonly BoundedLineReader reader;
    private readonly RequestScreen screen;
    private readonly LineSerializedOutputStream output;
    private readonly Pipe toServer = new(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));

    public StdioGate(Stream input, Stream output, int lineLimit)
    {
        reader = new BoundedLineReader(input, lineLimit);
        screen = new RequestScreen(lineLimit);
        this.output = new LineSerializedOutputStream(output);
    }

    /// <summary>What the SDK's transport reads: the lines that passed.</summary>
    public Stream ServerInput => toServer.Reader.AsStream();

    /// <summary>What the SDK's transport writes to: stdout, one whole line at a time.</summary>
    public Stream ServerOutput => output;

    /// <summary>
    /// The longest request line read: 6 bytes per character of the largest text a tool accepts (a JSON escape such as
    /// <c>\u00e9</c> takes 6), that text being the plan (maxPlanBytes) or commit_step's paths (about 1 M characters), plus room for the envelope.
    /// </summary>
    public static int LineLimitFor(int maxPlanBytes) => (6 * Math.Max(maxPlanBytes, 1024 * 1024)) + (64 * 1024);

    /// <summary>Pumps until stdin ends; then the SDK sees the end of its input and the session closes.</summary>
    public async Task RunAsync(ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            while (await reader.ReadAsync(cancellationToken) is { } line)
            {
                if (line.Oversized)
                {
                    logger.LogWarning("Refused a request line of {Bytes} bytes (limit {Limit})", line.Length, reader.Limit);
                    await output.WriteLineAsync(screen.Oversized(line), cancellationToken);
                    continue;
                }

                if (line.Content.Span.Trim(" \t\r"u8).IsEmpty)
                {
                    continue;
                }

                if (screen.Screen(line.Content) is { } answer)
                {
                    if (answer.Length > 0)
                    {
                        await output.WriteLineAsync(answer, cancellationToken);
                    }

                    continue;
                }

                toServer.Writer.Write(line.Content.Span);
                toServer.Writer.Write("\n"u8);
                await toServer.Writer.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (IOException error)
        {
            logger.LogWarning(error, "stdin closed with an error");
        }
        finally
        {
            await toServer.Writer.CompleteAsync();
        }
    }
}
