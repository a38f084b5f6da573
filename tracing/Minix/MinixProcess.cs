namespace Minix318Emu.Tracing.Minix;

/// <summary>
/// A slot of MINIX's process table as read at one moment: the slot index (process number +
/// NR_TASKS), p_endpoint, p_name as its raw 16 bytes (kept raw so the hot path compares two
/// integers instead of building a string) and p_seg.p_cr3 (0 while its offset is unknown).
/// </summary>
public readonly record struct MinixProcess(int Index, int Endpoint, ulong NameLo, ulong NameHi, uint Cr3)
{
    /// <summary>The name (up to its NUL; "?" when it is empty or not printable).</summary>
    public string Name
    {
        get
        {
            Span<byte> b = stackalloc byte[16];
            BitConverter.TryWriteBytes(b, NameLo);
            BitConverter.TryWriteBytes(b[8..], NameHi);
            return BootImageTable.ReadName(b) ?? "?"; // PROC_NAME_LEN includes the NUL
        }
    }
}
