/* Drives the floppy controller as a driver does, with a 1.44 MB disk in drive A: and a
 * write-protected one in B:. Reset and its four polling interrupts, SPECIFY, RECALIBRATE, SEEK,
 * SENSE DRIVE STATUS, the disk-change line, READ DATA of a whole cylinder through ISA DMA
 * channel 2 (multi-track), a partial read ended by the DMA's terminal count, WRITE DATA from
 * memory and its read-back, the write-protect refusal, a data rate the medium does not have,
 * READ ID, and a read through the FIFO without DMA. Every disk sector starts with its own LBA
 * and carries a pattern of it (the test writes the image), so the guest checks what arrived.
 * Interrupts are acknowledged through the 8259's poll mode (interrupts stay disabled). */
#include "../common/guest.h"

#define DOR 0x3F2
#define MSR 0x3F4
#define FIFO 0x3F5
#define DIR 0x3F7

#define BUF ((u8 *)0x20000) /* 64 KiB aligned: a DMA transfer never crosses its page */

static const char hex[] = "0123456789abcdef";

static void h8(u8 b)
{
    putc(hex[b >> 4]);
    putc(hex[b & 15]);
}

static void sp_h8(u8 b)
{
    putc(' ');
    h8(b);
}

static u8 pattern(u32 lba, u32 off)
{
    if (off == 0)
        return (u8)lba;
    if (off == 1)
        return (u8)(lba >> 8);
    return (u8)((lba * 31) ^ (off * 7) ^ (off >> 5));
}

static int out(u8 v)
{
    for (int i = 0; i < 100000; i++)
        if ((inb(MSR) & 0xC0) == 0x80) {
            outb(FIFO, v);
            return 1;
        }
    puts("fdc: timeout writing a command byte\n");
    return 0;
}

static int in(u8 *v)
{
    for (int i = 0; i < 100000; i++)
        if ((inb(MSR) & 0xD0) == 0xD0) {
            *v = inb(FIFO);
            return 1;
        }
    return 0;
}

/* Acknowledges a pending IRQ 6 through the 8259's poll command; 1 if there was one. */
static int take_irq6(void)
{
    for (int i = 0; i < 1000; i++) {
        outb(0x20, 0x0C);
        u8 v = inb(0x20);
        if (v & 0x80) {
            outb(0x20, 0x20);
            if ((v & 7) == 6)
                return 1;
        }
    }
    return 0;
}

static void sense_interrupt(const char *what)
{
    u8 st0 = 0x80, pcn = 0;
    for (int tries = 0; tries < 100 && st0 == 0x80; tries++) {
        out(0x08);
        in(&st0);
        if (st0 != 0x80)
            in(&pcn);
    }
    puts(what);
    sp_h8(st0);
    sp_h8(pcn);
    putc('\n');
}

static u8 drive_status(u8 sel)
{
    u8 st3 = 0;
    out(0x04);
    out(sel);
    in(&st3);
    return st3;
}

static void dma_setup(u8 mode, u32 len)
{
    u32 addr = (u32)BUF;
    outb(0x0A, 0x06);             /* mask channel 2 */
    outb(0x0C, 0x00);             /* clear the byte pointer */
    outb(0x0B, mode);
    outb(0x04, (u8)addr);
    outb(0x04, (u8)(addr >> 8));
    outb(0x81, (u8)(addr >> 16));
    outb(0x0C, 0x00);
    outb(0x05, (u8)(len - 1));
    outb(0x05, (u8)((len - 1) >> 8));
    outb(0x0A, 0x02);             /* unmask */
}

/* A data command: opcode, HD/US, C, H, R, N=2, EOT, GPL, DTL; the seven result bytes go to res. */
static int data_command(u8 op, u8 sel, u8 c, u8 h, u8 r, u8 eot, u8 *res)
{
    out(op);
    out(sel);
    out(c);
    out(h);
    out(r);
    out(2);
    out(eot);
    out(0x1B);
    out(0xFF);
    for (int i = 0; i < 7; i++)
        if (!in(&res[i])) {
            puts("fdc: no result\n");
            return 0;
        }
    return 1;
}

static void print_result(const char *what, const u8 *res)
{
    /* ST0's interrupt code and ST1/ST2 (QEMU also sets ST0's seek-end bit on a cylinder change) */
    puts(what);
    puts(": ic");
    sp_h8(res[0] & 0xC0);
    puts(" st1");
    sp_h8(res[1]);
    puts(" st2");
    sp_h8(res[2]);
    puts(" chrn");
    for (int i = 3; i < 7; i++)
        sp_h8(res[i]);
    putc('\n');
}

/* Counts the sectors in BUF that hold the pattern of LBA first, first+1, ... */
static u32 check_sectors(u32 first, u32 count)
{
    u32 ok = 0;
    for (u32 s = 0; s < count; s++) {
        const u8 *p = BUF + s * 512;
        u32 good = 1;
        for (u32 o = 0; o < 512; o++)
            if (p[o] != pattern(first + s, o)) {
                good = 0;
                break;
            }
        ok += good;
    }
    return ok;
}

static u32 lba(u32 c, u32 h, u32 s)
{
    return (c * 2 + h) * 18 + s - 1;
}

u32 kmain(u32 magic, void *mbi)
{
    (void)magic;
    (void)mbi;
    serial_init();
    outb(0x21, 0xBF);                 /* only IRQ 6 reaches the poll command */
    outb(0x70, 0x10);
    puts("fdc: cmos drive types");
    sp_h8(inb(0x71));
    putc('\n');

    outb(DOR, 0x00);                  /* reset */
    outb(DOR, 0x1C);                  /* drive A:, motor on, DMA and IRQ enabled */
    puts(take_irq6() ? "fdc: reset interrupt\n" : "fdc: no reset interrupt\n");
    for (int d = 0; d < 4; d++)
        sense_interrupt("fdc: reset sense");
    out(0x10);
    u8 v = 0;
    in(&v);
    puts("fdc: version");
    sp_h8(v);
    putc('\n');
    outb(DIR, 0x00);                  /* 500 kbit/s */
    out(0x03);                        /* SPECIFY: step rate, head unload, head load, DMA */
    out(0xDF);
    out(0x02);
    puts("fdc: disk change before any seek");
    sp_h8(inb(DIR) & 0x80);
    putc('\n');

    out(0x07);
    out(0x00);
    take_irq6();
    sense_interrupt("fdc: recalibrate");
    puts("fdc: st3 at cylinder 0");
    sp_h8(drive_status(0x00));
    putc('\n');
    out(0x0F);
    out(0x00);
    out(5);
    take_irq6();
    sense_interrupt("fdc: seek to 5");
    puts("fdc: st3 at cylinder 5");
    sp_h8(drive_status(0x00));
    puts(", disk change");
    sp_h8(inb(DIR) & 0x80);
    putc('\n');

    u8 res[7];
    memset(BUF, 0, 36 * 512);
    dma_setup(0x46, 36 * 512);        /* single mode, write to memory, channel 2 */
    if (data_command(0xE6, 0x00, 5, 0, 1, 18, res)) {   /* READ DATA, MT MFM SK */
        print_result("read cylinder 5", res);
        u8 status = inb(0x08);
        outb(0x0C, 0);
        u16 count = inb(0x05);
        count |= (u16)inb(0x05) << 8;
        puts("dma: terminal count");
        sp_h8((status >> 2) & 1);
        puts(", count ");
        put_hex(count);
        puts(", sectors ok ");
        put_dec(check_sectors(lba(5, 0, 1), 36));
        putc('\n');
    }

    memset(BUF, 0, 3 * 512);
    dma_setup(0x46, 3 * 512);
    if (data_command(0xC6, 0x04, 5, 1, 4, 18, res)) {   /* side 1, sectors 4-6: the DMA count ends it */
        print_result("read 3 sectors of side 1", res);
        puts("read: sectors ok ");
        put_dec(check_sectors(lba(5, 1, 4), 3));
        putc('\n');
    }

    for (u32 s = 0; s < 2; s++)
        for (u32 o = 0; o < 512; o++)
            BUF[s * 512 + o] = pattern(lba(5, 0, 17) + s, o) ^ 0xFF;
    dma_setup(0x4A, 2 * 512);         /* read from memory */
    if (data_command(0x45, 0x00, 5, 0, 17, 18, res))    /* WRITE DATA, sectors 17-18 */
        print_result("write sectors 17-18", res);
    memset(BUF, 0, 2 * 512);
    dma_setup(0x46, 2 * 512);
    if (data_command(0x46, 0x00, 5, 0, 17, 18, res)) {
        u32 ok = 0;
        for (u32 s = 0; s < 2; s++) {
            u32 good = 1;
            for (u32 o = 0; o < 512; o++)
                if (BUF[s * 512 + o] != (u8)(pattern(lba(5, 0, 17) + s, o) ^ 0xFF))
                    good = 0;
            ok += good;
        }
        puts("write: read back ");
        put_dec(ok);
        puts(" sectors\n");
    }

    outb(DOR, 0x2D);                  /* drive B:, its motor */
    out(0x07);
    out(0x01);
    take_irq6();
    sense_interrupt("fdc: recalibrate B:");
    puts("fdc: B: st3");
    sp_h8(drive_status(0x01));
    putc('\n');
    dma_setup(0x4A, 512);
    if (data_command(0x45, 0x01, 0, 0, 1, 1, res))
        print_result("write to the write-protected B:", res);
    outb(DOR, 0x1C);

    outb(DIR, 0x02);                  /* 250 kbit/s: not this medium's rate */
    dma_setup(0x46, 512);
    if (data_command(0x46, 0x00, 5, 0, 1, 1, res))
        puts((res[0] & 0xC0) == 0x40 && (res[1] & 0x01) ? "fdc: wrong data rate: missing address mark\n" : "fdc: wrong data rate read\n");
    outb(DIR, 0x00);

    out(0x4A);                        /* READ ID, side 0 (QEMU answers after 20 ms) */
    out(0x00);
    for (u32 i = 0; i < 50000000 && (inb(MSR) & 0xD0) != 0xD0; i++)
        ;
    for (int i = 0; i < 7; i++)
        in(&res[i]);
    puts("read id: ic");
    sp_h8(res[0] & 0xC0);
    puts(" c");
    sp_h8(res[3]);
    puts(" h");
    sp_h8(res[4]);
    puts(" n");
    sp_h8(res[6]);
    putc('\n');

    out(0x03);                        /* SPECIFY with ND: no DMA, the FIFO carries the data */
    out(0xDF);
    out(0x03);
    out(0x46);
    out(0x00);
    out(5);
    out(0);
    out(3);
    out(2);
    out(3);
    out(0x1B);
    out(0xFF);
    u32 got = 0;
    for (u32 i = 0; i < 512; i++) {
        u8 b;
        int tries = 0;
        while ((inb(MSR) & 0xE0) != 0xE0 && tries < 100000)
            tries++;
        b = inb(FIFO);
        BUF[i] = b;
        got++;
    }
    for (int i = 0; i < 7; i++)
        in(&res[i]);
    puts("pio read: ");
    put_dec(got);
    puts(" bytes, sector ok ");
    put_dec(check_sectors(lba(5, 0, 3), 1));
    putc('\n');
    return 0;
}
