namespace Minix318Emu.Devices.Dma;

/// <summary>
/// One 8237 channel's registers: base and current address and count (the current ones move as
/// the channel transfers; auto-initialisation reloads them from the base ones at terminal count),
/// the mode register, the mask bit and the software request bit.
/// </summary>
public sealed partial class DmaChannel
{
    internal ushort BaseAddress, CurrentAddress, BaseCount, CurrentCount;

    /// <summary>The mode register (bits 7-6 mode, 5 decrement, 4 auto-initialise, 3-2 transfer type).</summary>
    public byte Mode { get; internal set; }

    /// <summary>The page register: address bits 23-16.</summary>
    public byte Page { get; internal set; }

    /// <summary>Whether the channel is masked (it does not answer DREQ).</summary>
    public bool Masked { get; internal set; } = true;

    /// <summary>Whether a device holds this channel's DREQ line.</summary>
    public bool Requested => Client is not null;

    internal IDmaClient? Client;

    /// <summary>The transfer type of the mode register.</summary>
    public DmaTransferType TransferType => (DmaTransferType)((Mode >> 2) & 3);

    /// <summary>Cascade mode (bits 7-6 = 11): the channel passes the slave controller's requests through.</summary>
    public bool Cascade => (Mode & 0xC0) == 0xC0;

    internal bool Decrement => (Mode & 0x20) != 0;

    internal bool AutoInitialize => (Mode & 0x10) != 0;

    /// <summary>The current address register.</summary>
    public ushort Address => CurrentAddress;

    /// <summary>The current count register (transfers left minus one; 0xFFFF after terminal count).</summary>
    public ushort Count => CurrentCount;
}
