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
/// <see cref="TraceReader.ReadReadablePrefix(string)"/> returns every complete block before the damage.
/// The footer follows a block end. Version 2 (the same records without blocks) is still read;
/// version 1 (no endpoints, requests, signed sizes or messages) is refused with a message saying so.
/// </summary>
public static class TraceFormat
{
    /// <summary>The version the writer writes: 3, the records cut into CRC-checked blocks.</summary>
    public const int Version = 3;

    /// <summary>The oldest version the reader reads (2: the same records, no blocks).</summary>
    public const int OldestReadable = 2;

    /// <summary>
    /// The size at which the writer ends a block: what a killed writer can lose at most. 64 KiB
    /// keeps the per-block costs (a CRC pass, one write system call) far below the tracer's own.
    /// </summary>
    public const int BlockBytes = 64 * 1024;

    /// <summary>The file's first 8 bytes, "M318TRC" and a NUL.</summary>
    public static ReadOnlySpan<byte> Magic => "M318TRC\0"u8;

    /// <summary>Record type 1: a string (a symbol or name), given an id so later records name it by number.</summary>
    public const byte RecString = 1;

    /// <summary>Record type 2: a hooked function (name, role, family, image, address).</summary>
    public const byte RecFunction = 2;

    /// <summary>Record type 3: a process (name, CR3, MINIX endpoint if known).</summary>
    public const byte RecProcess = 3;

    /// <summary>Record type 4: one traced call, written when it returns.</summary>
    public const byte RecCall = 4;

    /// <summary>Record type 5: a message the kernel delivered (request or reply).</summary>
    public const byte RecMessage = 5;

    /// <summary>Record type 6: the end of a block, with the counts so far and the block's CRC-32 (version 3).</summary>
    public const byte RecBlockEnd = 6;

    /// <summary>Record type 255: the footer, with the totals and the SHA-256 of everything before it.</summary>
    public const byte RecFooter = 255;

    /// <summary>Call flag bit 0: the call returned (clear: still in progress when the run ended, or jumped over).</summary>
    public const byte CallReturned = 1;

    /// <summary>Call flag bit 1: the size is negative, its magnitude given back (sbrk(-n)).</summary>
    public const byte CallSizeNegative = 2;
}
