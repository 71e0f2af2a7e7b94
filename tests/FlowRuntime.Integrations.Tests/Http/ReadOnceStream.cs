namespace FlowRuntime.Integrations.Tests.Http;

/// <summary>A request body that can be read once and not rewound, like a network stream.</summary>
internal sealed class ReadOnceStream(byte[] data) : MemoryStream(data)
{
    public override bool CanSeek => false;

    public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Length => throw new NotSupportedException();
}
