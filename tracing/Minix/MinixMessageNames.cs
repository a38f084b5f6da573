using System.Globalization;

namespace Minix318Emu.Tracing.Minix;

/// <summary>
/// Names of MINIX 3.4 message types (minix/include/minix/com.h, callnr.h, vfsif.h): VM's
/// requests by name, a few others (notifications, RS_UP, RS_INIT), the rest by the range they
/// belong to ("PM call 0x1f", "FS request 0xa20"), always with the number. VFS numbers its
/// requests to file systems and VM with a transaction id (TRNS_ADD_ID: type &lt;&lt; 16 |
/// 0xB01...), which is taken apart.
/// </summary>
public static class MinixMessageNames
{
    private const uint VmBase = 0xC00;

    private static readonly Dictionary<uint, string> s_names = new()
    {
        [0x1000] = "notify",
        [0x700] = "RS_UP",
        [0x714] = "RS_INIT",
        [VmBase + 0] = "VM_EXIT",
        [VmBase + 1] = "VM_FORK",
        [VmBase + 2] = "VM_BRK",
        [VmBase + 3] = "VM_EXEC_NEWMEM",
        [VmBase + 5] = "VM_WILLEXIT",
        [VmBase + 10] = "VM_MMAP",
        [VmBase + 12] = "VM_ADDDMA",
        [VmBase + 13] = "VM_DELDMA",
        [VmBase + 14] = "VM_GETDMA",
        [VmBase + 15] = "VM_MAP_PHYS",
        [VmBase + 16] = "VM_UNMAP_PHYS",
        [VmBase + 17] = "VM_MUNMAP",
        [VmBase + 26] = "VM_MAPCACHEPAGE",
        [VmBase + 27] = "VM_SETCACHEPAGE",
        [VmBase + 28] = "VM_FORGETCACHEPAGE",
        [VmBase + 29] = "VM_CLEARCACHE",
        [VmBase + 30] = "VM_VFS_REPLY",
        [VmBase + 33] = "VM_REMAP",
        [VmBase + 34] = "VM_SHM_UNMAP",
        [VmBase + 35] = "VM_GETPHYS",
        [VmBase + 36] = "VM_GETREF",
        [VmBase + 37] = "VM_RS_SET_PRIV",
        [VmBase + 40] = "VM_INFO",
        [VmBase + 41] = "VM_RS_UPDATE",
        [VmBase + 42] = "VM_RS_MEMCTL",
        [VmBase + 44] = "VM_REMAP_RO",
        [VmBase + 45] = "VM_PROCCTL",
        [VmBase + 46] = "VM_VFS_MMAP",
        [VmBase + 47] = "VM_GETRUSAGE",
        [VmBase + 48] = "VM_RS_PREPARE",
        [VmBase + 0xFF] = "VM_PAGEFAULT",
    };

    /// <summary>"VM_BRK (0xc02)" for a named type, "FS request 0xa20" for one of a known range, else "0x...".</summary>
    public static string Describe(uint type)
    {
        // IS_VFS_FS_TRANSID: the low half is a VFS transaction id (0xB00 + thread), the high half the type.
        if ((type & 0xFF00) == 0xB00 && type >> 16 != 0)
        {
            return $"{Describe(type >> 16)} in VFS transaction {Hex(type & 0xFFFF)}";
        }
        if (s_names.TryGetValue(type, out string? name))
        {
            return $"{name} ({Hex(type)})";
        }
        string? range = type switch
        {
            < 0x100 => "PM call",
            < 0x200 => "VFS call",
            >= 0x700 and < 0x780 => "RS request",
            >= 0x800 and < 0x880 => "DS request",
            >= 0xA00 and < 0xB00 => "FS request",
            >= 0xE00 and < 0xF00 => "common request",
            >= 0x1800 and < 0x1900 => "MIB request",
            _ => null,
        };
        return range is null ? Hex(type) : $"{range} {Hex(type)}";
    }

    private static string Hex(uint v) => "0x" + v.ToString("x", CultureInfo.InvariantCulture);
}
