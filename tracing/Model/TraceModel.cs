using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tracing.Model;

/// <summary>An image the trace was taken with: name, SHA-256 and scope.</summary>
public sealed record TraceImage(string Name, string Sha256, ImageScope Scope);

/// <summary>The trace header.</summary>
public sealed record TraceHeader(int Version, string Profile, ulong TicksPerSecond, IReadOnlyList<TraceImage> Images);

/// <summary>A hooked function as the trace names it.</summary>
public sealed record TraceFunction(int Id, string Name, AllocatorRole Role, string Family, string Image, uint Address);

/// <summary>An address space with the program it runs ("kernel" for kernel calls).</summary>
public sealed record TraceProcess(int Id, string Name, uint Cr3);

/// <summary>A symbolised code address: the address and the "function+0xoff" it falls in (empty if unknown).</summary>
public readonly record struct TraceFrame(uint Address, string Symbol, string Function)
{
    /// <summary>Makes a frame, deriving the function name (without the offset; the address when unknown).</summary>
    public static TraceFrame Of(uint address, string symbol)
    {
        int plus = symbol.IndexOf('+');
        string function = symbol.Length == 0 ? $"0x{address:x8}" : plus < 0 ? symbol : symbol[..plus];
        return new TraceFrame(address, symbol, function);
    }
}

/// <summary>
/// One traced call: written when it returns (or at the end of the run if it never did). Ids are
/// given at entry, so <see cref="Parent"/> (the innermost traced call it was nested in, or -1)
/// refers to an earlier id even though parents are written after their children.
/// </summary>
public sealed record TraceCall(
    long Id,
    long Parent,
    int Function,
    int Process,
    ulong Entry,
    ulong Exit,
    bool Returned,
    uint[] Args,
    ulong Size,
    uint Pointer,
    uint Result,
    TraceFrame Caller,
    TraceFrame[] Stack);

/// <summary>The footer: what a complete trace holds and the checksum over everything before it.</summary>
public sealed record TraceFooter(long Calls, int Functions, int Processes, byte[] Sha256);
