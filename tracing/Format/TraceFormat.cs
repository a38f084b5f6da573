namespace Minix318Emu.Tracing.Format;

/// <summary>
/// The trace file format, version 3 (little-endian; "varint" is .NET's 7-bit encoded integer;
/// "str" is a varint byte count and UTF-8 bytes):
/// <code>
/// header : magic "M318TRC\0" (8 bytes), u16 version, str profile, u64 ticks per second,
///          varint image count, per image: str name, str sha256 (hex), u8 scope (0 kernel, 1 user)
/// records: u8 type, then
///   1 string   : varint id, str text                     (symbols, names: each once)
///   2 function : varint id, varint name, u8 role, varint family, varint image, u32 address
///   3 process  : varint id, varint name, u32 cr3, u8 has endpoint, [i32 endpoint if 1]
///   4 call     : varint id, varint parent+1, varint function, varint process, varint request+1,
///                varint entry, varint exit, u8 flags (1 returned, 2 size negative), u8 argc,
///                argc x u32, varint size, u32 pointer, u32 result, frame caller, u8 depth,
///                depth x frame   (frame = u32 address, varint symbol string id + 1; 0 = unknown)
///   5 message  : varint id, u8 kind (0 request, 1 reply), varint time, varint receiver process,
///                varint sender process+1, i32 sender endpoint, u32 message type,
///                varint sender's innermost call in progress+1
///   6 block end: varint calls so far, varint messages so far, u32 CRC-32 (IEEE) of every byte
///                from the end of the previous block (or the start of the file) up to this CRC
///   255 footer : varint calls, varint messages, varint functions, varint processes, 32 bytes
///                SHA-256 of every byte of the file before the footer's type byte
/// </code>
/// Calls are written in the order they return, messages when they are delivered (so a call or
/// message may name a call written later); the writer streams with bounded memory. Version 3
/// cuts the records into blocks of about <see cref="BlockBytes"/>, each ended by a block-end
/// record with its own CRC and handed to the operating system as it ends, so a writer killed
/// or out of space loses at most the block it was filling: the reader's
/// <see cref="TraceReader.ReadReadablePrefix"/> returns every complete block before the damage.
/// The footer follows a block end. Version 2 (the same records without blocks) is still read;
/// version 1 (no endpoints, requests, signed sizes or messages) is refused with a message saying so.
/// </summary>
public static class TraceFormat
{
    public const int Version = 3;

    /// <summary>The oldest version the reader reads (2: the same records, no blocks).</summary>
    public const int OldestReadable = 2;

    /// <summary>
    /// The size at which the writer ends a block: what a killed writer can lose at most. 64 KiB
    /// keeps the per-block costs (a CRC pass, one write system call) far below the tracer's own.
    /// </summary>
    public const int BlockBytes = 64 * 1024;
    public static ReadOnlySpan<byte> Magic => "M318TRC\0"u8;
    public const byte RecString = 1, RecFunction = 2, RecProcess = 3, RecCall = 4, RecMessage = 5, RecBlockEnd = 6, RecFooter = 255;
    public const byte CallReturned = 1, CallSizeNegative = 2;
}
