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
    public required TraceHeader Header { get; init; }
    public required IReadOnlyDictionary<int, TraceFunction> Functions { get; init; }
    public required IReadOnlyDictionary<int, TraceProcess> Processes { get; init; }
    public required IReadOnlyList<TraceCall> Calls { get; init; }

    /// <summary>The messages the kernel delivered, in delivery order (MINIX guests; empty otherwise).</summary>
    public required IReadOnlyList<TraceIpc> Messages { get; init; }

    public required TraceFooter Footer { get; init; }

    /// <summary>
    /// Null for a complete trace. For the readable prefix of a damaged or unfinished one
    /// (<see cref="TraceReader.ReadReadablePrefix"/>), what is wrong after it; the footer then
    /// holds the prefix's counts and no checksum.
    /// </summary>
    public string? Damage { get; init; }
}
