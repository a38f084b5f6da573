using Minix318Emu.Devices.Storage;
using Minix318Emu.Emulator.Interrupts;
using Minix318Emu.Emulator.Io;

using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Devices;

/// <summary>Disk images and the IDE channel through its task-file ports (ATA/ATAPI-6).</summary>
public sealed class StorageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-disk-").FullName;
    private readonly IoBus _bus = new();
    private readonly RecordingLine _irq = new();


    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string MakeImage(int sectors, Func<int, byte>? fill = null)
    {
        string p = Path.Combine(_dir, $"d{Guid.NewGuid():N}.img");
        var data = new byte[sectors * 512];
        if (fill is not null)
        {
            for (int i = 0; i < data.Length; i++) data[i] = fill(i);
        }
        File.WriteAllBytes(p, data);
        return p;
    }

    private IdeChannel Channel(DiskImage image)
    {
        var c = new IdeChannel(0x1F0, 0x3F6, _irq);
        c.AttachDrive(0, new AtaDrive(image, "TEST0001"));
        c.Attach(_bus);
        return c;
    }

    private byte In(int port) => (byte)_bus.Read((ushort)port, 1);

    private void Out(int port, int v) => _bus.Write((ushort)port, 1, (uint)v);

    private ushort[] ReadWords(int n)
    {
        var w = new ushort[n];
        for (int i = 0; i < n; i++) w[i] = (ushort)_bus.Read(0x1F0, 2);
        return w;
    }

    [Fact]
    public void Overlay_KeepsTheFileUnchanged_PersistWritesThrough()
    {
        string p = MakeImage(8, i => (byte)i);
        byte[] original = File.ReadAllBytes(p);
        using (var d = DiskImage.Open(p, persist: false))
        {
            d.Write(2, new byte[512]);
            var back = new byte[512];
            d.Read(2, back);
            Assert.All(back, b => Assert.Equal(0, b));
            Assert.Equal(1, d.OverlaySectors);
        }
        Assert.Equal(original, File.ReadAllBytes(p));
        using (var d = DiskImage.Open(p, persist: true))
        {
            d.Write(2, Enumerable.Repeat((byte)0xAB, 512).ToArray());
        }
        Assert.Equal(0xAB, File.ReadAllBytes(p)[2 * 512 + 17]);
    }

    [Fact]
    public void BadImages_AreRejectedWithTheFileNamed()
    {
        string odd = Path.Combine(_dir, "odd.img");
        File.WriteAllBytes(odd, new byte[1000]);
        var e = Assert.Throws<DiskImageException>(() => DiskImage.Open(odd, false));
        Assert.Equal($"{odd}: the disk image is 1000 bytes, not a positive multiple of 512", e.Message);
        e = Assert.Throws<DiskImageException>(() => DiskImage.Open(Path.Combine(_dir, "none.img"), false));
        Assert.EndsWith("none.img: the disk image does not exist", e.Message);
    }

    [Fact]
    public void Identify_ReportsCapacityGeometryAndAValidChecksum()
    {
        using var d = DiskImage.Open(MakeImage(20160), false); // 20 cylinders of 16x63
        Channel(d);
        Out(0x1F6, 0xA0);
        Out(0x1F7, 0xEC);
        Assert.True(_irq.Level);
        Assert.Equal(0x58, In(0x1F7) & 0xF9); // DRDY DSC DRQ; reading Status drops INTRQ
        Assert.False(_irq.Level);
        ushort[] w = ReadWords(256);
        Assert.Equal(20, w[1]);
        Assert.Equal(16, w[3]);
        Assert.Equal(63, w[6]);
        Assert.Equal(20160u, w[60] | ((uint)w[61] << 16));
        Assert.Equal(20160u, w[100] | ((uint)w[101] << 16));
        Assert.Equal(0x0400, w[83] & 0x0400); // 48-bit addressing
        Assert.Equal("MINIX318EMU HARDDISK", ModelOf(w).Trim());
        int sum = 0;
        foreach (ushort x in w) sum += (x & 0xFF) + (x >> 8);
        Assert.Equal(0, sum & 0xFF);
        Assert.Equal(0x50, In(0x1F7) & 0xF9); // DRQ gone after 512 bytes
    }

    private static string ModelOf(ushort[] w)
    {
        var c = new char[40];
        for (int i = 0; i < 20; i++)
        {
            c[2 * i] = (char)(w[27 + i] >> 8);
            c[2 * i + 1] = (char)(w[27 + i] & 0xFF);
        }
        return new string(c);
    }

    [Fact]
    public void PioWriteThenRead_InLbaAndChs()
    {
        using var d = DiskImage.Open(MakeImage(2048), false);
        Channel(d);
        // WRITE SECTORS at LBA 100: the first block is requested without an interrupt.
        Out(0x1F6, 0xE0); Out(0x1F2, 1); Out(0x1F3, 100); Out(0x1F4, 0); Out(0x1F5, 0);
        Out(0x1F7, 0x30);
        Assert.False(_irq.Level);
        Assert.Equal(0x08, In(0x3F6) & 0x08);
        for (int i = 0; i < 256; i++) _bus.Write(0x1F0, 2, (uint)(i * 3));
        Assert.True(_irq.Level); // completion
        In(0x1F7);
        // The same sector through CHS: LBA 100 = cylinder 0, head 1, sector 38 with 16x63.
        Out(0x1F6, 0xA1); Out(0x1F2, 1); Out(0x1F3, 38); Out(0x1F4, 0); Out(0x1F5, 0);
        Out(0x1F7, 0x20);
        ushort[] w = ReadWords(256);
        Assert.Equal(3 * 255, w[255]);
        Assert.Equal(6, w[2]);
    }

    [Fact]
    public void ReadMultiple_InterruptsPerBlock_AndNeedsSetMultiple()
    {
        using var d = DiskImage.Open(MakeImage(64, i => (byte)(i / 512)), false);
        Channel(d);
        Out(0x1F6, 0xE0); Out(0x1F2, 4); Out(0x1F3, 0);
        Out(0x1F7, 0xC4);                          // READ MULTIPLE before SET MULTIPLE MODE
        Assert.Equal(0x01, In(0x1F7) & 0x01);
        Assert.Equal(0x04, In(0x1F1));             // ABRT
        Out(0x1F2, 3); Out(0x1F7, 0xC6);           // 3 is not a power of two
        Assert.Equal(0x01, In(0x1F7) & 0x01);
        Out(0x1F2, 2); Out(0x1F7, 0xC6);
        Assert.Equal(0x00, In(0x1F7) & 0x01);
        Out(0x1F2, 4); Out(0x1F3, 8); Out(0x1F4, 0); Out(0x1F5, 0);
        Out(0x1F7, 0xC4);
        Assert.True(_irq.Level);
        In(0x1F7);
        ushort[] first = ReadWords(512);           // two sectors: 8 and 9
        Assert.Equal(0x0808, first[0]);
        Assert.Equal(0x0909, first[511]);
        Assert.True(_irq.Level);                   // the second block
        In(0x1F7);
        ushort[] second = ReadWords(512);
        Assert.Equal(0x0B0B, second[511]);
        Assert.Equal(0x00, In(0x1F7) & 0x08);
    }

    [Fact]
    public void Lba48_UsesThePreviousRegisterBytes()
    {
        using var d = DiskImage.Open(MakeImage(600, i => (byte)(i / 512)), false);
        Channel(d);
        Out(0x1F6, 0x40);
        Out(0x1F2, 0); Out(0x1F3, 0); Out(0x1F4, 0); Out(0x1F5, 0);
        Out(0x1F2, 1); Out(0x1F3, 0x2C); Out(0x1F4, 0x02); Out(0x1F5, 0); // LBA 0x22C = 556
        Out(0x1F7, 0x24);
        Assert.Equal((byte)(556 & 0xFF) | ((556 & 0xFF) << 8), (int)_bus.Read(0x1F0, 2));
    }

    [Fact]
    public void OutOfRange_IsIdnf_UnknownCommandIsAbrt()
    {
        using var d = DiskImage.Open(MakeImage(16), false);
        Channel(d);
        Out(0x1F6, 0xE0); Out(0x1F2, 1); Out(0x1F3, 16);
        Out(0x1F7, 0x20);
        Assert.Equal(0x01, In(0x1F7) & 0x01);
        Assert.Equal(0x10, In(0x1F1));
        Out(0x1F7, 0xB0);                          // SMART: not supported
        Assert.Equal(0x04, In(0x1F1));
    }

    [Fact]
    public void NIen_MasksIntrq_SoftResetGivesTheSignature()
    {
        using var d = DiskImage.Open(MakeImage(16), false);
        Channel(d);
        Out(0x3F6, 0x02);                          // nIEN
        Out(0x1F6, 0xA0); Out(0x1F7, 0xE7);        // FLUSH CACHE
        Assert.False(_irq.Level);
        Out(0x3F6, 0x04);                          // SRST
        Assert.Equal(0x80, In(0x3F6) & 0x80);
        Out(0x3F6, 0x00);
        Assert.Equal(1, In(0x1F2));
        Assert.Equal(1, In(0x1F3));
        Assert.Equal(0, In(0x1F4));
        Assert.Equal(0, In(0x1F5));
        Assert.Equal(0x50, In(0x1F7));
    }

    /// <summary>
    /// Each ATA device has its own interrupt pending state and drives INTRQ only while selected
    /// (ATA/ATAPI-6): selecting the other device releases the line, selecting the device again
    /// drives it until its own Status is read; the other device's Status read leaves it pending.
    /// The channel had one request for both drives, so selection never moved the line.
    /// </summary>
    [Fact]
    public void Intrq_FollowsTheSelectedDevice_EachKeepsItsOwnPendingInterrupt()
    {
        using var m = DiskImage.Open(MakeImage(16), false);
        using var sl = DiskImage.Open(MakeImage(16), false);
        IdeChannel c = Channel(m);
        c.AttachDrive(1, new AtaDrive(sl, "TEST0002"));
        Out(0x1F6, 0xE0); Out(0x1F2, 1); Out(0x1F3, 1); Out(0x1F7, 0x40);   // READ VERIFY on the master
        Assert.True(_irq.Level);
        Out(0x1F6, 0xF0);                                                   // the slave: the master releases INTRQ
        Assert.False(_irq.Level);
        Assert.Equal(0x50, In(0x1F7));                                      // the slave's Status: nothing of its own pending
        Assert.False(_irq.Level);
        Out(0x1F6, 0xE0);                                                   // the master again: still pending, drives INTRQ
        Assert.True(_irq.Level);
        Assert.Equal(2, _irq.Rises);
        Assert.Equal(0x50, In(0x1F7));                                      // its own Status read acknowledges it
        Assert.False(_irq.Level);
        Out(0x1F6, 0xF0); Out(0x1F6, 0xE0);
        Assert.False(_irq.Level);

        Out(0x1F6, 0xF0); Out(0x1F2, 1); Out(0x1F3, 1); Out(0x1F7, 0x40);   // the slave's turn, the master selected after it
        Assert.True(_irq.Level);
        Out(0x1F6, 0xE0);
        Assert.False(_irq.Level);
        Assert.Equal(0x50, In(0x1F7));                                      // the master's Status
        Out(0x1F6, 0xF0);
        Assert.True(_irq.Level);                                            // the slave's interrupt was still pending
        Assert.Equal(0x50, In(0x1F7));
        Assert.False(_irq.Level);
    }

    /// <summary>
    /// With the slave absent, selecting it releases INTRQ (no device drives it) and its zero
    /// Status read does not acknowledge the master, which drives the line again when selected.
    /// The line stayed high while the absent slave was selected, whatever was read.
    /// </summary>
    [Fact]
    public void SelectingTheAbsentSlave_ReleasesIntrq_UntilTheMasterIsSelectedAgain()
    {
        using var d = DiskImage.Open(MakeImage(16), false);
        Channel(d);
        Out(0x1F6, 0xE0); Out(0x1F7, 0xE7);                                 // FLUSH CACHE: an interrupt
        Assert.True(_irq.Level);
        Out(0x1F6, 0xF0);
        Assert.False(_irq.Level);
        Assert.Equal(0x00, In(0x1F7));
        Assert.False(_irq.Level);
        Out(0x1F6, 0xE0);
        Assert.True(_irq.Level);
        Assert.Equal(0x50, In(0x1F7));
        Assert.False(_irq.Level);
    }

    [Fact]
    public void AbsentSlave_ReadsZeroStatus()
    {
        using var d = DiskImage.Open(MakeImage(16), false);
        Channel(d);
        Out(0x1F6, 0xB0);
        Assert.Equal(0x00, In(0x1F7));
    }

    [Fact]
    public void SelectingAnAbsentDrive_DuringAPioRead_LeavesTheTransferWithItsDrive()
    {
        // Found by the device fuzzer (issue 18): selecting the absent slave in the middle of a
        // two-sector READ SECTORS made the next block's read dereference no drive
        // (NullReferenceException). The transfer stays with the drive it was issued to.
        using var d = DiskImage.Open(MakeImage(16, i => (byte)(i / 512)), false);
        Channel(d);
        Out(0x1F6, 0xE0); Out(0x1F2, 2); Out(0x1F3, 3); Out(0x1F4, 0); Out(0x1F5, 0);
        Out(0x1F7, 0x20);
        Out(0x1F6, 0xF0);                                  // the slave, absent
        ushort[] w = ReadWords(512);
        Assert.Equal(0x0303, w[0]);
        Assert.Equal(0x0404, w[256]);                      // the second block came from the master's disk
    }

    [Fact]
    public void SelectingAnAbsentDrive_BeforeTheBusMasterStarts_LeavesTheDmaWithItsDrive()
    {
        // The same with READ DMA: the slave is selected between the command and the bus master's start.
        using var d = DiskImage.Open(MakeImage(16, i => (byte)(i / 512)), false);
        IdeChannel c = Channel(d);
        var mem = new Minix318Emu.Emulator.Memory.PhysicalMemory(1u << 20);
        var dma = new BusMasterDma(mem, c);
        mem.Write32(0x1000, 0x2000);                       // one PRD: 512 bytes at 0x2000, end of table
        mem.Write32(0x1004, 0x8000_0200);
        dma.Write(4, 4, 0x1000);
        Out(0x1F6, 0xE0); Out(0x1F2, 1); Out(0x1F3, 5); Out(0x1F4, 0); Out(0x1F5, 0);
        Out(0x1F7, 0xC8);
        Out(0x1F6, 0xF0);
        dma.Write(0, 1, 0x09);                             // start, to memory
        Assert.Equal(0x05u, mem.Read8(0x2000));
        Assert.Equal(0x05u, mem.Read8(0x21FF));
    }

    [Fact]
    public async Task AFifoAsADisk_IsRefusedWithoutBlocking()
    {
        // Found by the disk-path fuzzer (issue 18): opening a FIFO waits for a writer forever.
        string fifo = Path.Combine(_dir, "fifo");
        Assert.Equal(0, ProcessRunner.Run("mkfifo", new[] { fifo }, TimeSpan.FromSeconds(10)).ExitCode);
        var e = await Task.Run(() => Assert.Throws<DiskImageException>(() => DiskImage.Open(fifo, persist: false))).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal($"{fifo}: the disk image is 0 bytes (or not a regular file), not a positive multiple of 512", e.Message);
    }
}
