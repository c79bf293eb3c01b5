namespace McpPlanServer.Mcp.Hosting;

/// <summary>
/// Reads <paramref name="input"/> on a thread of its own. The console's stdin stream has no asynchronous read: its
/// <c>ReadAsync</c> runs the blocking <c>read(0)</c> on a thread-pool worker, which then sits in the kernel for as long
/// as the client is thinking. On a 2-core machine the pool keeps 2 workers; with one of them parked on stdin, a tool
/// call that does blocking work (a database round trip, git) leaves the pool starved, and everything else queued — the
/// change listener, the answer's write — waits for the pool's starvation injection (0.5 s per thread). Measured as a
/// claim p99 near 1 s at any load in <c>bench team</c>.
/// </summary>
/// <remarks>One read at a time, as the gate reads (each awaited before the next). A read cancelled by its token stays
/// pending on the thread until data or the end arrives; the session is ending then, and the thread is a background one.</remarks>
public sealed class OwnThreadReadStream(Stream input) : Stream
{
    private readonly object gate = new();
    private Thread? reader;
    private Memory<byte> target;
    private TaskCompletionSource<int>? pending;
    private bool requested;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (pending is { Task.IsCompleted: false })
        {
            throw new InvalidOperationException("One read at a time: the previous read of stdin has not finished.");
        }

        var read = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            (target, pending, requested) = (buffer, read, true);
            if (reader is null)
            {
                reader = new Thread(ReadLoop) { IsBackground = true, Name = "mcpplan stdin" };
                reader.Start();
            }

            Monitor.Pulse(gate);
        }

        return new ValueTask<int>(read.Task.WaitAsync(cancellationToken));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void ReadLoop()
    {
        while (true)
        {
            Memory<byte> buffer;
            TaskCompletionSource<int> read;
            lock (gate)
            {
                while (!requested)
                {
                    Monitor.Wait(gate);
                }

                (buffer, read, requested) = (target, pending!, false);
            }

            // At the end of stdin every later read returns 0 at once, and a failed one fails again: the loop never hangs a reader.
            try
            {
                read.TrySetResult(input.Read(buffer.Span));
            }
            catch (Exception failure) when (failure is IOException or ObjectDisposedException or UnauthorizedAccessException)
            {
                read.TrySetException(failure);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            input.Dispose();
        }

        base.Dispose(disposing);
    }
}
