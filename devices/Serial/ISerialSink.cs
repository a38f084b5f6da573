namespace Minix318Emu.Devices.Serial;

/// <summary>Where a UART's transmitted bytes go.</summary>
public interface ISerialSink
{
    /// <summary>Receives one transmitted byte.</summary>
    void Write(byte b);

    /// <summary>Flushes buffered output.</summary>
    void Flush();
}

/// <summary>
/// A sink over a stream (stdout or a file). Each byte is written to the stream as the guest
/// transmits it; give it an unbuffered stream (the console's, or a FileStream with no buffer)
/// and output is visible at once, prompts without a newline included.
/// </summary>
public sealed class StreamSerialSink : ISerialSink
{
    private readonly Stream _stream;

    /// <summary>Creates the sink.</summary>
    public StreamSerialSink(Stream stream) => _stream = stream;

    /// <inheritdoc/>
    public void Write(byte b) => _stream.WriteByte(b);

    /// <inheritdoc/>
    public void Flush() => _stream.Flush();
}

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

/// <summary>A sink that drops everything.</summary>
public sealed class NullSerialSink : ISerialSink
{
    /// <inheritdoc/>
    public void Write(byte b)
    {
    }

    /// <inheritdoc/>
    public void Flush()
    {
    }
}
