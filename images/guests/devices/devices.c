/* The devices guest: programs the PC devices as a kernel's drivers do and prints what it
 * observes. Lines that depend on the board's identity or on host timing start with "board:"
 * or "timing:" so that the QEMU comparison can leave them out; every other line is fixed by
 * the datasheets. It expects a disk of at least 16 sectors as primary master. */
#include "../common/guest.h"

extern void irq0(void), irq1(void), irq2(void), irq3(void), irq4(void), irq5(void), irq6(void), irq7(void);
extern void irq8(void), irq9(void), irq10(void), irq11(void), irq12(void), irq13(void), irq14(void), irq15(void);
extern void fault_stub(void);

static u64 idt[256] __attribute__((aligned(8)));
static volatile u32 irq_count[16];
static volatile u32 rtc_periodic, rtc_updates;
static volatile u8 last_scancodes[4];
static volatile u32 nscancodes;

static inline u16 inw(u16 p) { u16 v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline void outw(u16 p, u16 v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(p)); }
static inline u32 inl(u16 p) { u32 v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(p)); return v; }

static u8 cmos_read(u8 r) { outb(0x70, r); return inb(0x71); }
static void cmos_write(u8 r, u8 v) { outb(0x70, r); outb(0x71, v); }

void irq_dispatch(u32 irq)
{
    irq_count[irq]++;
    if (irq == 8) {
        u8 c = cmos_read(0x0C); /* reading C acknowledges the RTC */
        if (c & 0x40) rtc_periodic++;
        if (c & 0x10) rtc_updates++;
    }
    if (irq == 1 && (inb(0x64) & 0x01) && nscancodes < 4)
        last_scancodes[nscancodes++] = inb(0x60); /* only when the output buffer is really full */
    if (irq == 14)
        (void)inb(0x1F7); /* status read acknowledges INTRQ */
    if (irq >= 8)
        outb(0xA0, 0x20);
    outb(0x20, 0x20);
}

static void set_gate(int v, void (*fn)(void))
{
    u32 off = (u32)fn;
    idt[v] = (u64)(off & 0xFFFF) | ((u64)0x10 << 16) | ((u64)0x8E << 40) | ((u64)(off >> 16) << 48);
}

static void idt_init(void)
{
    void (*irqs[16])(void) = { irq0, irq1, irq2, irq3, irq4, irq5, irq6, irq7, irq8, irq9, irq10, irq11, irq12, irq13, irq14, irq15 };
    u16 cs;
    __asm__ volatile("movw %%cs, %0" : "=r"(cs));
    for (int v = 0; v < 32; v++)
        set_gate(v, fault_stub);
    for (int i = 0; i < 16; i++)
        set_gate(0x20 + i, irqs[i]);
    for (int v = 0; v < 48; v++)
        idt[v] = (idt[v] & ~((u64)0xFFFF << 16)) | ((u64)cs << 16);
    struct { u16 limit; u32 base; } __attribute__((packed)) idtr = { sizeof(idt) - 1, (u32)idt };
    __asm__ volatile("lidt %0" : : "m"(idtr));
}

static void pic_init(void)
{
    outb(0x20, 0x11); outb(0xA0, 0x11);   /* ICW1: edge, cascade, ICW4 */
    outb(0x21, 0x20); outb(0xA1, 0x28);   /* ICW2: vectors */
    outb(0x21, 0x04); outb(0xA1, 0x02);   /* ICW3: slave on IR2 */
    outb(0x21, 0x01); outb(0xA1, 0x01);   /* ICW4: 8086 mode */
    outb(0x21, 0xFF); outb(0xA1, 0xFF);
    print_kv("pic imr after init", inb(0x21));
    outb(0x20, 0x0B);                      /* OCW3: read ISR */
    print_kv("pic isr", inb(0x20));
    outb(0x20, 0x0A);                      /* back to IRR */
}

static void unmask(int irq)
{
    if (irq >= 8) {
        outb(0xA1, inb(0xA1) & ~(1 << (irq - 8)));
        irq = 2;
    }
    outb(0x21, inb(0x21) & ~(1 << irq));
}

static void pit_start(void)
{
    /* PIT channel 0: mode 2 at 100 Hz. */
    outb(0x43, 0x34);
    outb(0x40, 11932 & 0xFF);
    outb(0x40, 11932 >> 8);
    unmask(0);
    __asm__ volatile("sti");
}

static void pit_and_rtc(void)
{
    /* RTC: periodic interrupt at 2 Hz (RS = 15); count PIT ticks over one RTC second. */
    cmos_write(0x0A, (cmos_read(0x0A) & 0xF0) | 0x0F);
    cmos_write(0x0B, cmos_read(0x0B) | 0x40);
    (void)cmos_read(0x0C);
    unmask(8);
    while (rtc_periodic < 1)
        __asm__ volatile("hlt");
    u32 start = irq_count[0];
    while (rtc_periodic < 3)
        __asm__ volatile("hlt");
    u32 ticks = irq_count[0] - start;
    puts("timing: pit ticks in one rtc second: ");
    put_dec(ticks);
    putc('\n');
    puts(ticks >= 98 && ticks <= 102 ? "timing: pit rate: ok\n" : "timing: pit rate: wrong\n");
    cmos_write(0x0B, cmos_read(0x0B) & ~0x40);

    /* Latch and read back channel 0's status: mode 2, LSB/MSB access, binary. */
    outb(0x43, 0xE2);
    print_kv("pit read-back status (mode bits)", inb(0x40) & 0x3F);
}

static void rtc_rollover(void)
{
    cmos_write(0x0B, (cmos_read(0x0B) | 0x80 | 0x02) & ~0x04); /* SET, 24 hour, BCD */
    cmos_write(0x00, 0x58);
    cmos_write(0x02, 0x59);
    cmos_write(0x04, 0x23);
    cmos_write(0x07, 0x29);
    cmos_write(0x08, 0x02);
    cmos_write(0x09, 0x24);
    cmos_write(0x0B, (cmos_read(0x0B) & ~0x80) | 0x10); /* run, update-ended interrupts */
    (void)cmos_read(0x0C);
    u32 start = rtc_updates;
    while (rtc_updates < start + 2)
        __asm__ volatile("hlt");
    cmos_write(0x0B, cmos_read(0x0B) & ~0x10);
    while (cmos_read(0x0A) & 0x80)
        ;
    puts("rtc after leap-day rollover: 20");
    u8 fields[6] = { cmos_read(0x09), cmos_read(0x08), cmos_read(0x07), cmos_read(0x04), cmos_read(0x02), cmos_read(0x00) };
    for (int i = 0; i < 6; i++) {
        putc('0' + (fields[i] >> 4));
        putc('0' + (fields[i] & 0xF));
        putc(i < 2 ? '-' : i == 2 ? ' ' : i < 5 ? ':' : '\n');
    }
    print_kv("rtc weekday (1 = sunday)", cmos_read(0x06));
    print_kv("rtc register d", cmos_read(0x0D));
    u32 sum = 0;
    for (int r = 0x10; r <= 0x2D; r++)
        sum += cmos_read(r);
    puts(sum == ((u32)cmos_read(0x2E) << 8 | cmos_read(0x2F)) ? "board: cmos checksum ok\n" : "board: cmos checksum bad\n");
}

static u32 pci_read(int dev, int fn, int reg)
{
    outl(0xCF8, 0x80000000u | (dev << 11) | (fn << 8) | reg);
    return inl(0xCFC);
}

static u32 bm_base;

static void pci_write16(int dev, int fn, int reg, u16 v)
{
    outl(0xCF8, 0x80000000u | (dev << 11) | (fn << 8) | (reg & 0xFC));
    outw(0xCFC + (reg & 2), v);
}

static void pci_scan(void)
{
    for (int dev = 0; dev < 32; dev++) {
        for (int fn = 0; fn < 8; fn++) {
            u32 id = pci_read(dev, fn, 0);
            if (id == 0xFFFFFFFF) {
                if (fn == 0) break;
                continue;
            }
            u32 cls = pci_read(dev, fn, 8) >> 8;
            puts("board: pci 00:");
            putc('0' + dev / 10); putc('0' + dev % 10); putc('.'); putc('0' + fn);
            puts(" id ");
            put_hex(id);
            puts(" class ");
            put_hex(cls);
            putc('\n');
            if (cls == 0x010180 || (cls >> 8) == 0x0101) {
                bm_base = pci_read(dev, fn, 0x20) & 0xFFFC;
                /* I/O decoding and bus mastering on, as a driver must not rely on the firmware for it */
                pci_write16(dev, fn, 0x04, (u16)(pci_read(dev, fn, 0x04) | 0x05));
            }
            if (fn == 0 && !(pci_read(dev, 0, 0x0C) & 0x00800000))
                break; /* not multi-function */
        }
    }
    puts(bm_base ? "ide bus master found\n" : "ide bus master missing\n");
}

static u8 sector[512] __attribute__((aligned(16)));
static u8 sector2[4096] __attribute__((aligned(4096)));
static u32 prd[2] __attribute__((aligned(8)));

static int ide_wait(void)
{
    u8 s;
    while ((s = inb(0x3F6)) & 0x80)
        ;
    return s;
}

static void ide_task(u32 lba, u8 count, u8 cmd)
{
    outb(0x1F6, 0xE0 | ((lba >> 24) & 0x0F));
    outb(0x1F2, count);
    outb(0x1F3, lba);
    outb(0x1F4, lba >> 8);
    outb(0x1F5, lba >> 16);
    outb(0x1F7, cmd);
}

static void fill(u8 *p, u32 n, u32 seed)
{
    for (u32 i = 0; i < n; i++)
        p[i] = (u8)(seed + i * 13);
}

static int check(const u8 *p, u32 n, u32 seed)
{
    for (u32 i = 0; i < n; i++)
        if (p[i] != (u8)(seed + i * 13))
            return 0;
    return 1;
}

static void ide(void)
{
    unmask(14);
    outb(0x3F6, 0x00);      /* interrupts on */
    outb(0x1F6, 0xA0);
    outb(0x1F7, 0xEC);      /* IDENTIFY */
    ide_wait();
    u16 id[256];
    for (int i = 0; i < 256; i++)
        id[i] = inw(0x1F0);
    char model[41];
    for (int i = 0; i < 20; i++) {
        model[2 * i] = (char)(id[27 + i] >> 8);
        model[2 * i + 1] = (char)id[27 + i];
    }
    model[40] = 0;
    puts("board: ide model ");
    puts(model);
    putc('\n');
    print_kv("ide lba28 sectors", id[60] | ((u32)id[61] << 16));
    print_kv("ide supports lba48", (id[83] >> 10) & 1);

    /* PIO write of sector 5, then read back. */
    fill(sector, 512, 5);
    ide_task(5, 1, 0x30);
    while (!(inb(0x3F6) & 0x08))
        ;
    for (int i = 0; i < 256; i++)
        outw(0x1F0, sector[2 * i] | (sector[2 * i + 1] << 8));
    ide_wait();
    memset(sector, 0, 512);
    ide_task(5, 1, 0x20);
    ide_wait();
    for (int i = 0; i < 256; i++) {
        u16 w = inw(0x1F0);
        sector[2 * i] = (u8)w;
        sector[2 * i + 1] = (u8)(w >> 8);
    }
    puts(check(sector, 512, 5) ? "ide pio round trip: ok\n" : "ide pio round trip: FAILED\n");

    /* LBA48 READ SECTORS EXT of the same sector. */
    memset(sector, 0, 512);
    outb(0x1F6, 0xE0);
    outb(0x1F2, 0); outb(0x1F3, 0); outb(0x1F4, 0); outb(0x1F5, 0);   /* previous (high) bytes */
    outb(0x1F2, 1); outb(0x1F3, 5); outb(0x1F4, 0); outb(0x1F5, 0);
    outb(0x1F7, 0x24);
    ide_wait();
    for (int i = 0; i < 256; i++) {
        u16 w = inw(0x1F0);
        sector[2 * i] = (u8)w;
        sector[2 * i + 1] = (u8)(w >> 8);
    }
    puts(check(sector, 512, 5) ? "ide lba48 read: ok\n" : "ide lba48 read: FAILED\n");

    /* Bus-master DMA: write 8 sectors from one 4 KiB region at LBA 8, then read them back. */
    if (bm_base) {
        fill(sector2, 4096, 8);
        prd[0] = (u32)sector2;
        prd[1] = 0x80000000u | 4096;
        outl(bm_base + 4, (u32)prd);
        outb(bm_base + 2, 0x06);          /* clear interrupt and error */
        outb(bm_base, 0x00);              /* direction: memory to disk */
        u32 before = irq_count[14];
        ide_task(8, 8, 0xCA);             /* WRITE DMA */
        outb(bm_base, 0x01);              /* start */
        while (irq_count[14] == before)
            __asm__ volatile("hlt");
        outb(bm_base, 0x00);
        print_kv("ide dma write bm status", inb(bm_base + 2) & 0x07);
        memset(sector2, 0, 4096);
        outb(bm_base + 2, 0x06);
        outb(bm_base, 0x08);              /* direction: disk to memory */
        before = irq_count[14];
        ide_task(8, 8, 0xC8);             /* READ DMA */
        outb(bm_base, 0x09);
        while (irq_count[14] == before)
            __asm__ volatile("hlt");
        outb(bm_base, 0x00);
        print_kv("ide dma read bm status", inb(bm_base + 2) & 0x07);
        puts(check(sector2, 4096, 8) ? "ide dma round trip: ok\n" : "ide dma round trip: FAILED\n");
    }

    /* READ MULTIPLE with 4-sector blocks: 8 sectors in two blocks. */
    outb(0x1F6, 0xE0);
    outb(0x1F2, 4);
    outb(0x1F7, 0xC6);                    /* SET MULTIPLE MODE */
    ide_wait();
    u32 before = irq_count[14];
    ide_task(8, 8, 0xC4);
    for (int blk = 0; blk < 2; blk++) {
        ide_wait();
        for (int i = 0; i < 1024; i++) {
            u16 w = inw(0x1F0);
            sector2[blk * 2048 + 2 * i] = (u8)w;
            sector2[blk * 2048 + 2 * i + 1] = (u8)(w >> 8);
        }
    }
    puts(check(sector2, 4096, 8) ? "ide read multiple: ok\n" : "ide read multiple: FAILED\n");
    while (irq_count[14] < before + 2)
        __asm__ volatile("hlt");
    print_kv("ide read multiple interrupts", irq_count[14] - before);

    /* An unsupported command aborts. */
    outb(0x1F6, 0xA0);
    outb(0x1F7, 0xA1);                    /* IDENTIFY PACKET DEVICE: not a packet device */
    u8 st = ide_wait();
    print_kv("ide unsupported status err", st & 0x01);
    print_kv("ide unsupported error", inb(0x1F1));
}

static void keyboard(void)
{
    while (inb(0x64) & 0x01)
        (void)inb(0x60);
    outb(0x64, 0xAA);
    while (!(inb(0x64) & 0x01))
        ;
    print_kv("kbd controller self-test", inb(0x60));
    unmask(1);
    u32 deadline = irq_count[0] + 50; /* half a second */
    while (nscancodes < 2 && irq_count[0] < deadline)
        __asm__ volatile("hlt");
    puts("board: key scan codes:");
    for (u32 i = 0; i < nscancodes; i++) {
        putc(' ');
        put_hex(last_scancodes[i]);
    }
    putc('\n');
}

static void ports(void)
{
    u8 first = inb(0x61) & 0x10;
    int toggled = 0;
    for (int i = 0; i < 100000 && !toggled; i++)
        toggled = (inb(0x61) & 0x10) != first;
    puts(toggled ? "port 0x61 refresh bit toggles\n" : "port 0x61 refresh bit stuck\n");

    /* Channel 2, mode 0, 1193 counts (1 ms): OUT2 rises when the count expires. */
    outb(0x61, (inb(0x61) & ~0x03));
    outb(0x43, 0xB0);
    outb(0x42, 1193 & 0xFF);
    outb(0x42, 1193 >> 8);
    print_kv("pit out2 before gate", (inb(0x61) >> 5) & 1);
    outb(0x61, (inb(0x61) & ~0x02) | 0x01);
    int spins = 0;
    while (!(inb(0x61) & 0x20) && spins < 10000000)
        spins++;
    print_kv("pit out2 after count", (inb(0x61) >> 5) & 1);
    print_kv("fast a20 (port 0x92)", (inb(0x92) >> 1) & 1);
}

static void vga(void)
{
    const char *msg = "hello from the devices guest";
    volatile u16 *text = (volatile u16 *)0xB8000;
    for (int i = 0; i < 80 * 25; i++)
        text[i] = 0x0720;
    for (int i = 0; msg[i]; i++)
        text[80 * 2 + i] = 0x0700 | (u8)msg[i];
    outb(0x3D4, 0x0E); outb(0x3D5, 0);
    outb(0x3D4, 0x0F); outb(0x3D5, 80 * 3);
    outb(0x3D4, 0x0F);
    puts("board: vga cursor low ");   /* QEMU without -vga has no VGA to answer */
    put_hex(inb(0x3D5));
    putc('\n');
}

u32 kmain(u32 magic, void *mbi)
{
    (void)mbi;
    serial_init();
    puts("devices: start\n");
    if (magic != 0x2BADB002)
        return 1;
    idt_init();
    pic_init();
    pit_start();
    keyboard();
    pit_and_rtc();
    rtc_rollover();
    pci_scan();
    ide();
    ports();
    vga();
    __asm__ volatile("cli");
    puts("devices: done\n");
    return 0;
}
