namespace Minix318Emu.Devices.Serial;

/// <summary>A sink that keeps everything in memory (tests, benchmarks).</summary>
public sealed class MemorySerialSink : ISerialSink
{
    private readonly MemoryStream _buffer = new();

    /// <inheritdoc/>
    public void Write(byte b) => _buffer.WriteByte(b);

    /// <inheritdoc/>
    public void Flush()
    {
    }

    /// <summary>The bytes received so far.</summary>
    public byte[] ToArray() => _buffer.ToArray();

    /// <summary>The bytes received so far, as Latin-1 text.</summary>
    public string Text => System.Text.Encoding.Latin1.GetString(_buffer.GetBuffer(), 0, (int)_buffer.Length);
}
