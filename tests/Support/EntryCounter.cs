using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Elf;

namespace Minix318Emu.Tests.Support;

/// <summary>
/// Counts the entries of named functions of MINIX boot modules per (MINIX process name,
/// function), independently of the tracer: its own execution hooks at the functions' addresses,
/// the program told by the module's code at the hooked address and at its main in the running
/// address space, and the process read from the kernel by hand-worked offsets — proc_ptr, the
/// first field of __cpu_local_vars, and p_name at 248 bytes into struct proc: stackframe_s (4
/// 16-bit and 12 32-bit registers, 56 bytes), segframe (16), p_nr, p_priv, p_rts_flags,
/// p_misc_flags, p_priority (padded to 4), the u64 p_cpu_time_left (4-byte aligned on i386),
/// p_quantum_size_ms, p_scheduler, p_cpu, p_accounting (32), five clock_t fields, four u64
/// cycle counters, p_cpuavg (16), three pointers, two endpoints and the 16-byte sigset_t
/// p_pending (minix/kernel/proc.h at MINIX 3.4.0). The kernel's data lies at physical = virtual
/// - 0xF0000000 (its program headers).
/// </summary>
internal sealed class EntryCounter
{
    private const int NameOffset = 248;
    private const uint KernelBase = 0xF000_0000;

    private readonly PcMachine _machine;
    private readonly uint _procPtr;
    private readonly Dictionary<uint, List<(ElfFile Elf, string Function, uint Main)>> _at = new();

    public Dictionary<(string Process, string Function), long> Counts { get; } = new();

    public EntryCounter(PcMachine machine, ElfFile kernel, IEnumerable<ElfFile> modules, IEnumerable<string> functions)
    {
        _machine = machine;
        _procPtr = kernel.FindSymbol("__cpu_local_vars")!.Value - KernelBase;
        string[] names = functions.ToArray();
        foreach (ElfFile m in modules)
        {
            uint main = m.FindSymbol("main")!.Value;
            foreach (string f in names)
            {
                if (m.FindSymbol(f) is { } s)
                {
                    if (!_at.TryGetValue(s.Value, out var list))
                    {
                        _at[s.Value] = list = new();
                    }
                    list.Add((m, f, main));
                }
            }
        }
        foreach (uint a in _at.Keys)
        {
            machine.Cpu.Hooks.Add(a, "entry-counter", lin =>
            {
                Count(lin);
                return false;
            });
        }
    }

    private void Count(uint lin)
    {
        if (!_at.TryGetValue(lin, out var candidates) || _machine.Cpu.Cpl != 3)
        {
            return;
        }
        foreach (var (elf, function, main) in candidates)
        {
            if (Matches(elf, lin, 16) && Matches(elf, main, 32))
            {
                uint proc = _machine.Memory.Read32(_procPtr) - KernelBase;
                var name = new byte[16];
                _machine.Memory.ReadBytes(proc + NameOffset, name);
                string process = System.Text.Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0));
                Counts[(process, function)] = Counts.GetValueOrDefault((process, function)) + 1;
                return;
            }
        }
    }

    private bool Matches(ElfFile elf, uint va, int n)
    {
        ElfSegment seg = elf.Segments.First(s => s.Type == ElfSegment.Load && va >= s.VirtualAddress && va + n <= s.VirtualAddress + s.FileSize);
        var have = new byte[n];
        return _machine.Cpu.TryReadLinear(va, have) && have.AsSpan().SequenceEqual(elf.Data.AsSpan((int)(seg.Offset + va - seg.VirtualAddress), n));
    }
}
