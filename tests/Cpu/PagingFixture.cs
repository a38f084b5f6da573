using Minix318Emu.Emulator.Processor;

namespace Minix318Emu.Tests.Cpu;

/// <summary>Identity-maps the first 4 MiB with 4 KiB pages (user, writable) for a harness; pages can then be changed.</summary>
internal sealed class PagingFixture
{
    public const uint Directory = 0x100000;
    public const uint Table = 0x101000;
    private readonly CpuHarness _h;

    public PagingFixture(CpuHarness h)
    {
        _h = h;
        for (uint i = 0; i < 1024; i++)
        {
            h.Machine.Memory.Write32(Table + i * 4, (i << 12) | 0x7);
        }
        h.Machine.Memory.Write32(Directory, Table | 0x7);
    }

    public void Unmap(uint addr) => SetPte(addr, 0);

    public void SetPte(uint addr, uint flags) => _h.Machine.Memory.Write32(Table + (addr >> 12) * 4, (addr & 0xFFFF_F000) | flags);

    public uint Pte(uint addr) => _h.Machine.Memory.Read32(Table + (addr >> 12) * 4);

    public void SetPde(int index, uint value) => _h.Machine.Memory.Write32(Directory + (uint)index * 4, value);

    public uint Pde(int index) => _h.Machine.Memory.Read32(Directory + (uint)index * 4);

    public void Enable(bool writeProtect = false, bool pse = false)
    {
        _h.Cpu.WriteCr(3, Directory);
        if (pse)
        {
            _h.Cpu.WriteCr(4, ControlRegs.Cr4PSE);
        }
        _h.Cpu.WriteCr(0, _h.Cpu.Cr0 | ControlRegs.Cr0PG | (writeProtect ? ControlRegs.Cr0WP : 0));
    }
}
