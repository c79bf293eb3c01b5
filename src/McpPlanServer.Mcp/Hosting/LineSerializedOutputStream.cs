namespace McpPlanServer.Mcp.Hosting;

/// <summary>
/// stdout shared by the SDK's transport and <see cref="StdioGate"/>: bytes are held until a newline and each complete
/// line is written in one piece under one lock, so an answer of the gate never lands inside a message of the SDK.
/// </summary>
public sealed class LineSerializedOutputStream(Stream output) : Stream
{
    private static readonly byte[] Newline = "\n"u8.ToArray();
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly MemoryStream pending = new();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Writes one whole message line (the newline is added).</summary>
    public async Task WriteLineAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await output.WriteAsync(message, cancellationToken);
            await output.WriteAsync(Newline, cancellationToken);
            await output.FlushAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // The SDK writes a message and its newline in separate calls, one message at a time (its own send lock).
        pending.Write(buffer.Span);
        var end = buffer.Span.LastIndexOf((byte)'\n');
        if (end < 0)
        {
            return;
        }

        var complete = pending.Length - (buffer.Length - end - 1);
        await gate.WaitAsync(cancellationToken);
        try
        {
            await output.WriteAsync(pending.GetBuffer().AsMemory(0, (int)complete), cancellationToken);
            await output.FlushAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }

        var rest = pending.GetBuffer().AsSpan((int)complete, (int)(pending.Length - complete)).ToArray();
        pending.SetLength(0);
        pending.Write(rest);
        if (pending.Capacity > 1024 * 1024)
        {
            // One large answer must not keep its buffer for the life of the session.
            pending.Capacity = Math.Max(rest.Length, 4096);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            pending.Dispose();
            gate.Dispose();
            output.Dispose();
        }

        base.Dispose(disposing);
    }
}
