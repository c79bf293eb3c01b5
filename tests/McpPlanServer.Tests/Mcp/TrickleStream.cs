namespace McpPlanServer.Tests.Mcp;

/// <summary>A read-only stream that hands out its bytes a few at a time, as a pipe may.</summary>
public sealed class TrickleStream(byte[] content, int pieceBytes) : Stream
{
    private int position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => content.Length;

    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var length = Math.Min(Math.Min(count, pieceBytes), content.Length - position);
        content.AsSpan(position, length).CopyTo(buffer.AsSpan(offset));
        position += length;
        return length;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
