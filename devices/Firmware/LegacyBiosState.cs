using System.Text;
using Minix318Emu.Emulator.Memory;

namespace Minix318Emu.Devices.Firmware;

/// <summary>
/// What a PC BIOS leaves in low memory after POST, written for the direct boot routes
/// (multiboot, Linux, the built-in disk loader) where no BIOS code runs. Guests read it:
/// MINIX's console driver takes the text geometry from the data area and divides by the
/// column count, its readclock checks the model byte, MP-table scanners read the EBDA segment.
/// Every byte set is listed here; everything else in 0x400-0x4FF and the EBDA is zero.
///
/// Interrupt vector table (0x000-0x3FF): all 256 vectors point into the ROM stubs below:
/// IRQ 0-7 (vectors 08h-0Fh) at a stub that sends a non-specific EOI to the master 8259,
/// IRQ 8-15 (70h-77h) at one that sends it to both, every other vector at an IRET
/// (F000:FF53, where the IBM BIOS and SeaBIOS keep theirs).
///
/// BIOS data area (segment 0x40):
/// <code>
/// 0x400  COM1-COM4 base ports       0x3F8, 0x2F8, 0, 0
/// 0x408  LPT1-LPT3 base ports        0 (no parallel port); 0x40E EBDA segment 0x9FC0
/// 0x410  equipment word              bit 0 floppy present, bits 7-6 floppies-1, bit 1 FPU,
///                                    bits 5-4 = 10b (80x25 colour), bits 11-9 serial ports (2)
/// 0x413  base memory in KiB          639
/// 0x417  keyboard flags              0
/// 0x41A  keyboard buffer head/tail   0x001E, 0x001E (empty; offsets from segment 0x40)
/// 0x449  video mode                  3 (80x25 colour text)
/// 0x44A  columns                     80
/// 0x44C  page size in bytes          4096
/// 0x44E  page start offset           0
/// 0x450  cursor positions, 8 pages   0 (row 0, column 0)
/// 0x460  cursor shape                end line 07h at 0x460, start line 06h at 0x461 (INT 10h CX=0607h)
/// 0x462  active page                 0
/// 0x463  CRTC base port              0x3D4
/// 0x465  mode control register       0x29 (text, video on, blink)
/// 0x466  CGA palette                 0x30
/// 0x46C  timer ticks since midnight  the RTC's time of day at 1193182/65536 ticks per second
/// 0x470  midnight rollover flag      0
/// 0x475  hard disks                  the number of IDE disks attached
/// 0x480  keyboard buffer start/end   0x001E, 0x003E
/// 0x484  text rows less one          24
/// 0x485  character height            16
/// 0x487  EGA/VGA control             0x60 (memory over 256 KiB, no clear on mode set)
/// 0x488  EGA/VGA switches            0x09
/// 0x489  VGA flags                   0x11 (400 lines, VGA active)
/// 0x496  keyboard status             0x10 (101/102-key keyboard)
/// </code>
/// EBDA (0x9FC00, 1 KiB, reserved in the memory maps): its first byte is its size in KiB (1).
///
/// ROM area (RAM here, as the shadowed BIOS is on a PC): F000:FF53 IRET; the two EOI stubs
/// at F000:FE00 and F000:FE10; the reset vector F000:FFF0 jumps to F000:E05B, which asks the
/// keyboard controller for a reset (a guest that jumps there restarts the machine, as on a
/// PC); the BIOS date "01/01/26" at F000:FFF5; model byte 0xFC (AT) at F000:FFFE and
/// submodel 0x00 at F000:FFFF.
///
/// The VGA text screen is cleared to spaces with attribute 07h (grey on black).
/// </summary>
public static class LegacyBiosState
{
    /// <summary>The EBDA's segment (at 639 KiB).</summary>
    public const ushort EbdaSegment = 0x9FC0;

    /// <summary>Base memory reported at 0x413, in KiB.</summary>
    public const ushort BaseMemoryKb = 639;

    /// <summary>The PIT's input clock, which the BIOS tick at 0x46C counts in units of 65536.</summary>
    public const double PitHz = 1_193_182.0;

    /// <summary>The linear address of the IRET stub every unassigned vector points at (F000:FF53).</summary>
    public const uint IretStub = 0xFFF53;

    /// <summary>The model byte at F000:FFFE: 0xFC, an AT-class machine.</summary>
    public const byte ModelByte = 0xFC;

    /// <summary>The BIOS date at F000:FFF5.</summary>
    public const string BiosDate = "01/01/26";

    private const uint MasterEoiStub = 0xFFE00;
    private const uint BothEoiStub = 0xFFE10;
    private const uint ResetStub = 0xFE05B;

    /// <summary>Writes the IVT, data area, EBDA, ROM stubs and identity bytes, and clears the text screen.</summary>
    /// <param name="mem">Guest memory (the VGA window must already be mapped for the screen to clear).</param>
    /// <param name="floppies">Floppy drives attached (0-2).</param>
    /// <param name="hardDisks">IDE disks attached.</param>
    /// <param name="serialPorts">Serial ports present (COM1 and COM2 on this board).</param>
    /// <param name="timeOfDay">The RTC's time at boot, for the tick count.</param>
    public static void Write(PhysicalMemory mem, int floppies, int hardDisks, int serialPorts, DateTime timeOfDay)
    {
        WriteStubs(mem);
        for (int v = 0; v < 256; v++)
        {
            uint target = v is >= 0x08 and <= 0x0F ? MasterEoiStub : v is >= 0x70 and <= 0x77 ? BothEoiStub : IretStub;
            mem.Write16((uint)v * 4, (ushort)(target & 0xFFFF));
            mem.Write16((uint)v * 4 + 2, 0xF000);
        }

        for (uint a = 0x400; a < 0x500; a++)
        {
            mem.Write8(a, 0);
        }
        mem.Write16(0x400, serialPorts > 0 ? (ushort)0x3F8 : (ushort)0);
        mem.Write16(0x402, serialPorts > 1 ? (ushort)0x2F8 : (ushort)0);
        mem.Write16(0x40E, EbdaSegment);
        mem.Write16(0x410, EquipmentWord(floppies, serialPorts));
        mem.Write16(0x413, BaseMemoryKb);
        mem.Write16(0x41A, 0x1E);
        mem.Write16(0x41C, 0x1E);
        mem.Write8(0x449, 3);
        mem.Write16(0x44A, 80);
        mem.Write16(0x44C, 4096);
        mem.Write8(0x460, 0x07);
        mem.Write8(0x461, 0x06);
        mem.Write16(0x463, 0x3D4);
        mem.Write8(0x465, 0x29);
        mem.Write8(0x466, 0x30);
        mem.Write32(0x46C, TicksSinceMidnight(timeOfDay));
        mem.Write8(0x475, (byte)Math.Min(hardDisks, 255));
        mem.Write16(0x480, 0x1E);
        mem.Write16(0x482, 0x3E);
        mem.Write8(0x484, 24);
        mem.Write16(0x485, 16);
        mem.Write8(0x487, 0x60);
        mem.Write8(0x488, 0x09);
        mem.Write8(0x489, 0x11);
        mem.Write8(0x496, 0x10);

        uint ebda = (uint)EbdaSegment << 4;
        for (uint a = 0; a < 0x400; a++)
        {
            mem.Write8(ebda + a, 0);
        }
        mem.Write8(ebda, 1);

        for (uint cell = 0; cell < 80 * 25; cell++)
        {
            mem.Write16(0xB8000 + cell * 2, 0x0720);
        }
    }

    /// <summary>The equipment word at 0x410 (INT 11h's answer).</summary>
    public static ushort EquipmentWord(int floppies, int serialPorts)
    {
        int w = 0x0002 | 0x0020; // FPU present; initial video mode 80x25 colour
        if (floppies > 0)
        {
            w |= 0x0001 | ((floppies - 1) << 6);
        }
        w |= Math.Min(serialPorts, 7) << 9;
        return (ushort)w;
    }

    /// <summary>The BIOS tick count for a time of day: 65536 PIT clocks a tick, from midnight.</summary>
    public static uint TicksSinceMidnight(DateTime t) => (uint)(t.TimeOfDay.TotalSeconds * PitHz / 65536.0);

    private static void WriteStubs(PhysicalMemory mem)
    {
        mem.Write8(IretStub, 0xCF);
        // push ax; mov al, 20h; out 20h, al; pop ax; iret
        mem.WriteBytes(MasterEoiStub, [0x50, 0xB0, 0x20, 0xE6, 0x20, 0x58, 0xCF]);
        // push ax; mov al, 20h; out 0A0h, al; out 20h, al; pop ax; iret
        mem.WriteBytes(BothEoiStub, [0x50, 0xB0, 0x20, 0xE6, 0xA0, 0xE6, 0x20, 0x58, 0xCF]);
        // mov al, 0FEh; out 64h, al (pulse the reset line); hlt; jmp $-1
        mem.WriteBytes(ResetStub, [0xB0, 0xFE, 0xE6, 0x64, 0xF4, 0xEB, 0xFD]);
        mem.WriteBytes(0xFFFF0, [0xEA, 0x5B, 0xE0, 0x00, 0xF0]); // jmp far F000:E05B
        mem.WriteBytes(0xFFFF5, Encoding.ASCII.GetBytes(BiosDate));
        mem.Write8(0xFFFFE, ModelByte);
        mem.Write8(0xFFFFF, 0x00);
    }
}
