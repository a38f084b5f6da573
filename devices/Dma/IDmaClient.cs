namespace Minix318Emu.Devices.Dma;

/// <summary>A device that drives a DMA channel's DREQ line and moves its data when the channel runs.</summary>
public interface IDmaClient
{
    /// <summary>The channel can run now (unmasked, controller enabled): the device moves its data through <see cref="IsaDma.Transfer"/>.</summary>
    void DmaReady(int channel);
}
