namespace Minix318Emu.Emulator.Processor;

/// <summary>What the emulator needs to know about one instruction encoding (an Iced <c>Code</c>), from <see cref="InstructionTable"/>.</summary>
internal readonly struct InstructionFacts(InstructionFlags flags, byte selector, InstructionGroup group)
{
    /// <summary>Where blocks end and whether the x87 unit runs it.</summary>
    public InstructionFlags Flags { get; } = flags;

    /// <summary>The condition code (0 = O ... 15 = G), the ALU operation (<see cref="Alu"/>) or the shift's /r field; 0 otherwise.</summary>
    public byte Selector { get; } = selector;

    /// <summary>The handler group and family of specialised forms.</summary>
    public InstructionGroup Group { get; } = group;

    /// <summary>Whether the x87 unit executes it.</summary>
    public bool IsX87 => (Flags & InstructionFlags.X87) != 0;
}
