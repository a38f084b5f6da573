namespace Minix318Emu.Devices.Serial;

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
