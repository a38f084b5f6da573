using Minix318Emu.Devices.Board;
using Minix318Emu.Emulator.Machine;

namespace Minix318Emu.Tests.Devices;

/// <summary>
/// The i440FX PAM registers (82441FX datasheet, 59h-5Fh): where reads and writes of the BIOS
/// area go, through PCI configuration mechanism #1 as firmware programs them.
/// </summary>
public sealed class PamShadowTests
{
    private static (PcMachine Machine, PcBoard Board) FirmwareBoard()
    {
        var m = new PcMachine(16u << 20);
        var b = new PcBoard(m, new BoardConfig());
        var rom = new byte[0x20000];
        for (int i = 0; i < rom.Length; i++)
        {
            rom[i] = (byte)(i >> 8);  // 0xE0000 + i reads (i >> 8) & 0xFF through the alias
        }
        b.MapFirmware(rom, null);
        return (m, b);
    }

    private static void WriteConfigByte(PcMachine m, int reg, byte value)
    {
        m.Io.Write(0xCF8, 4, 0x8000_0000u | (uint)(reg & 0xFC));
        m.Io.Write((ushort)(0xCFC + (reg & 3)), 1, value);
    }

    private static byte ReadConfigByte(PcMachine m, int reg)
    {
        m.Io.Write(0xCF8, 4, 0x8000_0000u | (uint)(reg & 0xFC));
        return (byte)m.Io.Read((ushort)(0xCFC + (reg & 3)), 1);
    }

    [Fact]
    public void AfterReset_EveryFieldIs0_TheBiosSegmentReadsTheRomAlias_AndWritesAreLost()
    {
        var (m, _) = FirmwareBoard();
        for (int r = 0x59; r <= 0x5F; r++)
        {
            Assert.Equal(0, ReadConfigByte(m, r));
        }
        Assert.Equal(0xFF, m.Memory.Read8(0xFFFF0));           // last 128 KiB of the image: (0x1FFF0 >> 8)
        Assert.Equal(0xE0, m.Memory.Read8(0xEE000));
        Assert.Equal(0xFF, m.Memory.Read8(0xC8000));           // nothing on the bus there
        m.Memory.Write8(0xF1234, 0x42);
        Assert.Equal(0x12, m.Memory.Read8(0xF1234));           // the ROM's byte 0x11234: (0x112 & 0xFF)
        Assert.Equal(0, m.Memory.Ram[0xF1234]);
    }

    [Fact]
    public void WriteEnableOnly_WritesRamUnderTheRom_ThenReadEnable_ShowsIt_AndWriteProtectHoldsIt()
    {
        var (m, _) = FirmwareBoard();
        WriteConfigByte(m, 0x59, 0x20);                        // 0xF0000: WE only
        m.Memory.Write8(0xF1234, 0x42);
        Assert.Equal(0x12, m.Memory.Read8(0xF1234));           // reads still the ROM
        Assert.Equal(0x42, m.Memory.Ram[0xF1234]);
        WriteConfigByte(m, 0x59, 0x30);                        // RE|WE: RAM
        Assert.Equal(0x42, m.Memory.Read8(0xF1234));
        m.Memory.Write8(0xF1234, 0x43);
        Assert.Equal(0x43, m.Memory.Read8(0xF1234));
        WriteConfigByte(m, 0x59, 0x10);                        // RE only: write-protected RAM
        m.Memory.Write8(0xF1234, 0x44);
        m.Memory.Write32(0xF2000, 0xDEADBEEF);
        Assert.Equal(0x43, m.Memory.Read8(0xF1234));
        Assert.Equal(0u, m.Memory.Read32(0xF2000));
        Assert.Equal(0x10, ReadConfigByte(m, 0x59));
    }

    [Fact]
    public void SixteenKiBSegments_FollowTheirOwnNibble_AndReservedBitsReadZero()
    {
        var (m, _) = FirmwareBoard();
        WriteConfigByte(m, 0x5A, 0xF3);                        // 0xC0000-0xC3FFF RE|WE, 0xC4000-0xC7FFF RE|WE (reserved bits dropped)
        Assert.Equal(0x33, ReadConfigByte(m, 0x5A));
        m.Memory.Write8(0xC0010, 1);
        m.Memory.Write8(0xC4010, 2);
        m.Memory.Write8(0xC8010, 3);                           // PAM2 still 0: lost
        Assert.Equal(1, m.Memory.Read8(0xC0010));
        Assert.Equal(2, m.Memory.Read8(0xC4010));
        Assert.Equal(0xFF, m.Memory.Read8(0xC8010));
        WriteConfigByte(m, 0x5A, 0x13);                        // the upper half read-only
        m.Memory.Write8(0xC4010, 9);
        m.Memory.Write8(0xC0010, 8);
        Assert.Equal(2, m.Memory.Read8(0xC4010));
        Assert.Equal(8, m.Memory.Read8(0xC0010));
    }

    [Fact]
    public void WithoutFirmware_TheBiosAreaIsPlainRam()
    {
        var m = new PcMachine(16u << 20);
        _ = new PcBoard(m, new BoardConfig());
        Assert.Equal(0x30, ReadConfigByte(m, 0x59));
        Assert.Equal(0x33, ReadConfigByte(m, 0x5F));
        m.Memory.Write8(0xF1234, 0x42);
        Assert.Equal(0x42, m.Memory.Read8(0xF1234));
    }

    [Fact]
    public void HostBridge_CarriesQemusSubsystemIdentity()
    {
        var m = new PcMachine(16u << 20);
        _ = new PcBoard(m, new BoardConfig());
        m.Io.Write(0xCF8, 4, 0x8000_002Cu);
        Assert.Equal(0x1100_1AF4u, m.Io.Read(0xCFC, 4));
    }
}
