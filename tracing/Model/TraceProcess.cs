using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tracing.Model;

/// <summary>
/// A process: on a MINIX guest, a process-table entry by its name and endpoint (a new record
/// when either changes: a fork keeps the name with a new endpoint, an exec keeps the endpoint
/// with a new name) and its page directory; otherwise an address space with the program it
/// runs (no endpoint). "kernel" for kernel calls.
/// </summary>
public sealed record TraceProcess(int Id, string Name, uint Cr3, int? Endpoint = null)
{
    /// <summary>"name (endpoint N)" or "name (cr3 0x...)", as the reports show it.</summary>
    public string Label => Endpoint is int e ? $"{Name} (endpoint {e})" : Cr3 == 0 ? Name : $"{Name} (cr3 0x{Cr3:x})";
}
