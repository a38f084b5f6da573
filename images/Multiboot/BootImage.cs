namespace Minix318Emu.Images.Multiboot;

/// <summary>Bytes to place at a physical address, followed by <paramref name="ZeroFill"/> zero bytes (BSS).</summary>
public sealed record MemoryChunk(uint Address, byte[] Data, uint ZeroFill = 0);

/// <summary>
/// Everything a loader decided: what goes where in physical memory and the machine state at the
/// entry point. The emulator applies it; nothing here knows of the CPU.
/// </summary>
public sealed record BootImage(
    IReadOnlyList<MemoryChunk> Chunks,
    uint Entry,
    uint Eax,
    uint Ebx,
    uint GdtBase,
    ushort GdtLimit,
    ushort CodeSelector,
    ushort DataSelector,
    IReadOnlyList<LoadedModule> Modules,
    uint Esi = 0);

/// <summary>A module as loaded: its file, command line and physical range.</summary>
public sealed record LoadedModule(string Path, string CommandLine, uint Start, uint End);

/// <summary>A module requested on the command line: a file and its own command line.</summary>
public sealed record ModuleSpec(string Path, string CommandLine);

/// <summary>A module in memory: a name for messages, its multiboot string, and its bytes.</summary>
public sealed record ModuleData(string Name, string CommandLine, byte[] Data);
