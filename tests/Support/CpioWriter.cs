using System.Text;

namespace Minix318Emu.Tests.Support;

/// <summary>Writes a "newc" cpio archive (the initramfs format Linux unpacks): directories and regular files.</summary>
internal static class CpioWriter
{
    public static byte[] Build(IEnumerable<(string Path, byte[]? Data, int Mode)> entries)
    {
        var ms = new MemoryStream();
        int ino = 1;
        void Header(string name, int mode, int size, int nlink)
        {
            string h = $"070701{ino++:x8}{mode:x8}{0:x8}{0:x8}{nlink:x8}{0:x8}{size:x8}{0:x8}{0:x8}{0:x8}{0:x8}{name.Length + 1:x8}{0:x8}";
            byte[] b = Encoding.ASCII.GetBytes(h + name + "\0");
            ms.Write(b);
            Pad(b.Length);
        }
        void Pad(long n)
        {
            while (n++ % 4 != 0)
            {
                ms.WriteByte(0);
            }
        }
        foreach (var (path, data, mode) in entries)
        {
            Header(path, mode, data?.Length ?? 0, data is null ? 2 : 1);
            if (data is not null)
            {
                ms.Write(data);
                Pad(data.Length);
            }
        }
        Header("TRAILER!!!", 0, 0, 1);
        return ms.ToArray();
    }
}
