namespace Minix318Emu.Images.Elf;

/// <summary>A symbol-table entry. Type 2 is STT_FUNC, 1 STT_OBJECT.</summary>
public sealed record ElfSymbol(string Name, uint Value, uint Size, byte Type, byte Binding, ushort SectionIndex)
{
    /// <summary>STT_FUNC.</summary>
    public const byte Function = 2;

    /// <summary>STT_OBJECT.</summary>
    public const byte Object = 1;

    /// <summary>Whether the symbol names a function.</summary>
    public bool IsFunction => Type == Function;
}
