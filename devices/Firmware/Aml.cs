using System.Text;

namespace Minix318Emu.Devices.Firmware;

/// <summary>
/// The few ACPI Machine Language constructs the DSDT needs (ACPI 6.4 chapter 20), as byte
/// arrays: names, packages, devices with an EISA hardware ID and a resource template of I/O
/// ports, IRQs and DMA channels (chapter 6.4 small resource descriptors).
/// </summary>
internal static class Aml
{
    private const byte NameOp = 0x08, BytePrefix = 0x0A, DWordPrefix = 0x0C, ScopeOp = 0x10, BufferOp = 0x11, PackageOp = 0x12;
    private const byte ExtOpPrefix = 0x5B, DeviceOp = 0x82, RootChar = 0x5C;

    /// <summary>A four-character name segment (shorter names are padded with '_').</summary>
    public static byte[] NameSeg(string name) => Encoding.ASCII.GetBytes(name.PadRight(4, '_'));

    /// <summary>Name(NAME, data).</summary>
    public static byte[] Name(string name, byte[] data) => Concat(new[] { NameOp }, NameSeg(name), data);

    /// <summary>An integer small enough for a ByteConst (or Zero/One).</summary>
    public static byte[] Byte(byte v) => v switch { 0 => new byte[] { 0x00 }, 1 => new byte[] { 0x01 }, _ => new[] { BytePrefix, v } };

    /// <summary>EisaId("PNPxxxx"): the compressed 32-bit form, as a DWordConst.</summary>
    public static byte[] EisaId(string id)
    {
        int c1 = id[0] & 0x1F, c2 = id[1] & 0x1F, c3 = id[2] & 0x1F;
        int digits = Convert.ToInt32(id[3..], 16);
        return new[]
        {
            DWordPrefix, (byte)((c1 << 2) | (c2 >> 3)), (byte)(((c2 & 7) << 5) | c3), (byte)(digits >> 8), (byte)digits,
        };
    }

    /// <summary>Package() { elements } of integer elements.</summary>
    public static byte[] Package(params byte[][] elements)
    {
        byte[] body = Concat(new[] { (byte)elements.Length }, Concat(elements));
        return Concat(new[] { PackageOp }, PkgLength(body.Length), body);
    }

    /// <summary>Scope(\NAME) { terms }.</summary>
    public static byte[] RootScope(string name, params byte[][] terms)
    {
        byte[] body = Concat(new[] { RootChar }, NameSeg(name), Concat(terms));
        return Concat(new[] { ScopeOp }, PkgLength(body.Length), body);
    }

    /// <summary>Device(NAME) { Name(_HID, EisaId(hid)) [Name(_UID, uid)] Name(_CRS, ResourceTemplate() { resources }) }.</summary>
    public static byte[] Device(string name, string hid, byte? uid, params byte[][] resources)
    {
        var terms = new List<byte[]> { Name("_HID", EisaId(hid)) };
        if (uid is { } u)
        {
            terms.Add(Name("_UID", Byte(u)));
        }
        byte[] template = Concat(Concat(resources), new byte[] { 0x79, 0x00 }); // End tag (checksum 0: none)
        byte[] bufferBody = Concat(Byte((byte)template.Length), template);
        terms.Add(Name("_CRS", Concat(new[] { BufferOp }, PkgLength(bufferBody.Length), bufferBody)));
        byte[] body = Concat(NameSeg(name), Concat(terms.ToArray()));
        return Concat(new[] { ExtOpPrefix, DeviceOp }, PkgLength(body.Length), body);
    }

    /// <summary>IO(Decode16, port, port, 1, length).</summary>
    public static byte[] Io(ushort port, byte length) =>
        new byte[] { 0x47, 0x01, (byte)port, (byte)(port >> 8), (byte)port, (byte)(port >> 8), 0x01, length };

    /// <summary>IRQNoFlags() { irq }: edge-triggered, active high.</summary>
    public static byte[] Irq(int irq) => new byte[] { 0x22, (byte)(1 << irq), (byte)((1 << irq) >> 8) };

    /// <summary>DMA(Compatibility, NotBusMaster, Transfer8) { channel }.</summary>
    public static byte[] Dma(int channel) => new byte[] { 0x2A, (byte)(1 << channel), 0x00 };

    /// <summary>PkgLength for a body of <paramref name="bodyLength"/> bytes (the encoding counts itself).</summary>
    private static byte[] PkgLength(int bodyLength)
    {
        if (bodyLength + 1 < 0x40)
        {
            return new[] { (byte)(bodyLength + 1) };
        }
        int total = bodyLength + 2;
        if (total < 0x1000)
        {
            return new[] { (byte)(0x40 | (total & 0xF)), (byte)(total >> 4) };
        }
        total = bodyLength + 3;
        return new[] { (byte)(0x80 | (total & 0xF)), (byte)(total >> 4), (byte)(total >> 12) };
    }

    private static byte[] Concat(params byte[][] parts)
    {
        var all = new List<byte>();
        foreach (byte[] p in parts)
        {
            all.AddRange(p);
        }
        return all.ToArray();
    }
}
