using System.Buffers.Binary;

namespace Minix318Emu.Tracing.Minix;

/// <summary>
/// Where the tracer reads MINIX's <c>struct proc</c> (minix/kernel/proc.h). The kernel has no
/// debugging information, so nothing here is assumed from a header: the entry size and p_name
/// are found in the populated table by the boot-image names (slot = process number +
/// NR_TASKS): every kernel task's name, and the name of every boot process the kernel has
/// started so far (it starts VM alone first, then the others), must sit at the same offset of
/// its slot, and no other entry size and offset may fit. p_endpoint is the field after the
/// 16-byte name and must hold every boot process's number (their endpoints have generation 0). p_delivermsg and p_seg.p_cr3 are found later,
/// from what the kernel does (<see cref="MinixProcessTable"/>).
/// </summary>
public sealed record ProcessTableLayout(int Stride, int Count, int NameOffset, int EndpointOffset)
{
    /// <summary>sizeof(message) in MINIX 3.4 (m_source, m_type and a 56-byte payload).</summary>
    public const int MessageSize = 64;

    /// <summary>The smallest and largest entry sizes tried: struct proc holds registers, two messages and more, but not pages.</summary>
    private const int MinStride = 2 * MessageSize, MaxStride = 4096;

    /// <summary>
    /// Finds the layout in <paramref name="table"/> (the bytes of the kernel's <c>proc</c> array),
    /// or null when the boot names are not (yet) in it or more than one layout would fit.
    /// </summary>
    public static ProcessTableLayout? Discover(ReadOnlySpan<byte> table, BootImageTable boot)
    {
        ProcessTableLayout? found = null;
        int lastSlot = boot.Entries.Max(e => e.ProcNr) + boot.TaskCount;
        for (int stride = MinStride; stride <= MaxStride; stride++)
        {
            if (table.Length % stride != 0 || table.Length / stride <= lastSlot)
            {
                continue;
            }
            for (int name = 0; name + BootImageTable.NameLength + 4 + 2 * MessageSize <= stride; name++)
            {
                if (!NamesAt(table, boot, stride, name) || !EndpointsAt(table, boot, stride, name + BootImageTable.NameLength))
                {
                    continue;
                }
                if (found is not null)
                {
                    return null; // ambiguous: refuse rather than guess
                }
                found = new ProcessTableLayout(stride, table.Length / stride, name, name + BootImageTable.NameLength);
            }
        }
        return found;
    }

    private static bool NamesAt(ReadOnlySpan<byte> table, BootImageTable boot, int stride, int offset)
    {
        Span<byte> want = stackalloc byte[BootImageTable.NameLength];
        int started = 0;
        foreach (BootProcess p in boot.Entries)
        {
            int at = (p.ProcNr + boot.TaskCount) * stride + offset;
            if (p.ProcNr >= 0 && table[at] == 0)
            {
                continue; // a boot process the kernel has not started yet
            }
            want.Clear();
            System.Text.Encoding.ASCII.GetBytes(p.Name, want);
            // The name and its terminating NUL; the kernel's strlcpy leaves the rest of the field as it was.
            if (!table.Slice(at, p.Name.Length + 1).SequenceEqual(want[..(p.Name.Length + 1)]))
            {
                return false;
            }
            started += p.ProcNr >= 0 ? 1 : 0;
        }
        return started > 0;
    }

    private static bool EndpointsAt(ReadOnlySpan<byte> table, BootImageTable boot, int stride, int offset)
    {
        foreach (BootProcess p in boot.Entries)
        {
            int at = (p.ProcNr + boot.TaskCount) * stride + offset;
            if (offset % 4 != 0 || BinaryPrimitives.ReadInt32LittleEndian(table.Slice(at, 4)) != p.ProcNr)
            {
                return false;
            }
        }
        return true;
    }
}
