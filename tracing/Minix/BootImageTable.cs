using System.Buffers.Binary;
using Minix318Emu.Images.Elf;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tracing.Minix;

/// <summary>
/// The MINIX kernel's boot image table, <c>struct boot_image image[NR_BOOT_PROCS]</c>
/// (minix/kernel/table.c), read from the kernel ELF's initialised data: the kernel tasks
/// (asyncm, idle, clock, system, kernel) with negative process numbers, then one entry per boot
/// module in boot order (ds, rs, pm, sched, vfs, memory, tty, mib, vm, pfs, mfs, init on MINIX
/// 3.4). The kernel gives the i-th boot module the i-th non-negative entry, and copies each name
/// into the process table's p_name before the first process runs: these names are the anchors
/// that locate p_name in the process table (see <see cref="ProcessTableLayout"/>).
/// </summary>
public sealed class BootImageTable
{
    /// <summary>sizeof(struct boot_image) on i386: int proc_nr, char proc_name[16], endpoint_t endpoint, phys_bytes start_addr, len (minix/include/minix/type.h).</summary>
    public const int EntrySize = 32;

    /// <summary>PROC_NAME_LEN (minix/include/minix/type.h): the width of a process name, including its NUL, here and in struct proc.</summary>
    public const int NameLength = 16;

    private BootImageTable(IReadOnlyList<BootProcess> entries)
    {
        Entries = entries;
        TaskCount = -entries[0].ProcNr;
    }

    /// <summary>The entries in table order: the kernel tasks by number, then the boot processes in boot order.</summary>
    public IReadOnlyList<BootProcess> Entries { get; }

    /// <summary>NR_TASKS: how many kernel tasks precede process 0 (the process table starts at process number -NR_TASKS).</summary>
    public int TaskCount { get; }

    /// <summary>The boot modules' process names in boot order (the entries with non-negative process numbers).</summary>
    public IEnumerable<string> ModuleNames => Entries.Where(e => e.ProcNr >= 0).Select(e => e.Name);

    /// <summary>Reads the table of <paramref name="kernel"/>; null with the reason when the image has no such table or it does not look like one.</summary>
    public static BootImageTable? TryRead(TracedImage kernel, out string problem)
    {
        ElfSymbol? sym = kernel.Elf.FindSymbol("image");
        if (sym is null || sym.Type != ElfSymbol.Object)
        {
            problem = "no 'image' object symbol (the boot image table)";
            return null;
        }
        if (sym.Size == 0 || sym.Size % EntrySize != 0 || sym.Size > 256 * EntrySize)
        {
            problem = $"'image' is {sym.Size} bytes, not a whole number of {EntrySize}-byte boot_image entries";
            return null;
        }
        var bytes = new byte[sym.Size];
        if (!kernel.TryGetBytes(sym.Value, bytes))
        {
            problem = "'image' is not in the kernel file's loadable data";
            return null;
        }
        var entries = new List<BootProcess>();
        for (int at = 0; at < bytes.Length; at += EntrySize)
        {
            int nr = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
            string? name = ReadName(bytes.AsSpan(at + 4, NameLength));
            // The kernel tasks come first, from -NR_TASKS up to -1; the boot processes follow in
            // boot order, which is not their number order (ds is 6 but boots first).
            bool inOrder = entries.Count == 0 || entries[^1].ProcNr >= 0 || nr == entries[^1].ProcNr + 1 || (entries[^1].ProcNr == -1 && nr >= 0);
            if (name is null || !inOrder || entries.Any(e => e.ProcNr == nr))
            {
                problem = $"'image' entry {entries.Count} is not a boot_image entry (process number {nr})";
                return null;
            }
            entries.Add(new BootProcess(nr, name));
        }
        if (entries[0].ProcNr >= 0 || entries[^1].ProcNr < 0 || entries.Max(e => e.ProcNr) >= 1024)
        {
            problem = "'image' does not hold both kernel tasks and boot processes";
            return null;
        }
        problem = "";
        return new BootImageTable(entries);
    }

    /// <summary>A NUL-terminated printable ASCII name filling part of <paramref name="field"/>, or null.</summary>
    internal static string? ReadName(ReadOnlySpan<byte> field)
    {
        int n = field.IndexOf((byte)0);
        if (n <= 0)
        {
            return null;
        }
        foreach (byte b in field[..n])
        {
            if (b is < 0x21 or > 0x7E)
            {
                return null;
            }
        }
        return System.Text.Encoding.ASCII.GetString(field[..n]);
    }
}
