using System.IO.Hashing;
using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;
using System.Text;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tracing.Format;

/// <summary>A trace read back: header, definitions, calls and footer.</summary>
public sealed class TraceFile
{
    /// <summary>The header: profile name, guest ticks per second and the traced images.</summary>
    public required TraceHeader Header { get; init; }

    /// <summary>The hooked functions, by the id the call records use.</summary>
    public required IReadOnlyDictionary<int, TraceFunction> Functions { get; init; }

    /// <summary>The processes calls ran in, by the id the call and message records use.</summary>
    public required IReadOnlyDictionary<int, TraceProcess> Processes { get; init; }

    /// <summary>Every call, in the order written: the order they returned (unreturned ones at the end of the run).</summary>
    public required IReadOnlyList<TraceCall> Calls { get; init; }

    /// <summary>The messages the kernel delivered, in delivery order (MINIX guests; empty otherwise).</summary>
    public required IReadOnlyList<TraceIpc> Messages { get; init; }

    /// <summary>The footer's record counts and the file's SHA-256, as written (checked against the records on reading).</summary>
    public required TraceFooter Footer { get; init; }

    /// <summary>
    /// Null for a complete trace. For the readable prefix of a damaged or unfinished one
    /// (<see cref="TraceReader.ReadReadablePrefix(string)"/>), what is wrong after it; the footer then
    /// holds the prefix's counts and no checksum.
    /// </summary>
    public string? Damage { get; init; }
}
