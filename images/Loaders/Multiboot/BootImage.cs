namespace Minix318Emu.Images.Multiboot;

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
