using System.IO.Pipes;
using System.Text;
using McpPlanServer.Mcp.Hosting;

namespace McpPlanServer.Tests.Mcp;

/// <summary>stdin read on a thread of its own: a client that is thinking must not park one of the pool's few workers.</summary>
public sealed class OwnThreadReadStreamTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_block_a_thread_of_their_own_never_a_thread_pool_worker_and_deliver_the_lines_in_order()
    {
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var input = new ThreadRecordingStream(client);
        using var stream = new OwnThreadReadStream(input);
        var reader = new BoundedLineReader(stream, 1024);

        // The read starts before any byte is there, so it blocks in the kernel on whichever thread runs it.
        var first = reader.ReadAsync(Token).AsTask();
        await server.WriteAsync(Encoding.UTF8.GetBytes("{\"id\":1}\n{\"id\":2}\n"), Token);
        await server.FlushAsync(Token);
        var one = Encoding.UTF8.GetString((await first)!.Value.Content.Span); // a line's bytes last until the next read
        var two = Encoding.UTF8.GetString((await reader.ReadAsync(Token))!.Value.Content.Span);
        server.Close();
        var end = await reader.ReadAsync(Token);
        var again = await stream.ReadAsync(new byte[16], Token);

        Assert.Equal("{\"id\":1}", one);
        Assert.Equal("{\"id\":2}", two);
        Assert.Null(end);
        Assert.Equal(0, again);
        Assert.NotEmpty(input.Readers);
        Assert.All(input.Readers, reader => Assert.False(reader.Pooled, "a blocking read of stdin ran on a thread-pool worker"));
        Assert.Single(input.Readers.Select(reader => reader.ThreadId).Distinct());
        Assert.Equal("mcpplan stdin", input.Readers[0].Name);
    }

    [Fact]
    public async Task A_failing_read_fails_the_caller_and_a_cancelled_one_returns_at_once()
    {
        using var failing = new OwnThreadReadStream(new ThreadRecordingStream(new FailingStream()));
        await Assert.ThrowsAsync<IOException>(async () => _ = await failing.ReadAsync(new byte[8], Token));

        using var released = new ManualResetEventSlim();
        using var quiet = new OwnThreadReadStream(new ThreadRecordingStream(new WaitingStream(released)));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var read = quiet.ReadAsync(new byte[8], cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
        released.Set();
    }

    private sealed record ReaderThread(int ThreadId, bool Pooled, string? Name);

    /// <summary>Passes reads through and notes the thread each ran on.</summary>
    private sealed class ThreadRecordingStream(Stream inner) : Stream
    {
        public List<ReaderThread> Readers { get; } = [];

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            lock (Readers)
            {
                Readers.Add(new ReaderThread(Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name));
            }

            return inner.Read(buffer);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A read that waits until the test lets it end (then the end of the stream).</summary>
    private sealed class WaitingStream(ManualResetEventSlim released) : FailingStream
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            released.Wait();
            return 0;
        }
    }

    private class FailingStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("stdin failed");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
