/* The APIC board as an OS meets it: finds the MP floating pointer and configuration table (with
 * their checksums) and counts their entries, switches the IMCR to APIC mode, enables the local
 * APIC, measures its timer against the PIT, takes a periodic timer interrupt stream over a
 * PIT-timed 100 ms, and takes COM1's interrupt through I/O APIC pin 4. Lines starting "board:"
 * are the firmware's own and "timing:" lines depend on host timing under QEMU; both differ between boards. */
#include "../common/guest.h"

#define LAPIC 0xFEE00000u
#define IOAPIC 0xFEC00000u
static inline u32 lapic_r(u32 r) { return *(volatile u32 *)(LAPIC + r); }
static inline void lapic_w(u32 r, u32 v) { *(volatile u32 *)(LAPIC + r) = v; }
static inline void ioapic_w(u32 r, u32 v) { *(volatile u32 *)IOAPIC = r; *(volatile u32 *)(IOAPIC + 0x10) = v; }
static inline u32 ioapic_r(u32 r) { *(volatile u32 *)IOAPIC = r; return *(volatile u32 *)(IOAPIC + 0x10); }

volatile u32 timer_ticks, com1_irqs, spurious;
extern void timer_isr(void), com1_isr(void), spurious_isr(void);
__asm__(".globl timer_isr\ntimer_isr:\n\tpushl %eax\n\tincl timer_ticks\n\tmovl $0, 0xFEE000B0\n\tpopl %eax\n\tiretl\n"
        ".globl com1_isr\ncom1_isr:\n\tpushl %eax\n\tpushl %edx\n\tincl com1_irqs\n"
        "\tmovw $0x3F9, %dx\n\txorb %al, %al\n\toutb %al, %dx\n"          /* IER = 0: no more */
        "\tmovw $0x3FA, %dx\n\tinb %dx, %al\n"                             /* IIR read clears THRE */
        "\tmovl $0, 0xFEE000B0\n\tpopl %edx\n\tpopl %eax\n\tiretl\n"
        ".globl spurious_isr\nspurious_isr:\n\tincl spurious\n\tiretl\n");

static u64 idt[256] __attribute__((aligned(8)));

static void set_gate(int v, void (*h)(void))
{
    u32 a = (u32)h;
    u16 cs;
    __asm__ volatile("movw %%cs, %0" : "=r"(cs)); /* the loader's code selector */
    idt[v] = (a & 0xFFFF) | ((u64)cs << 16) | (0x8Eull << 40) | ((u64)(a >> 16) << 48);
}

static int sum_ok(const u8 *p, u32 n)
{
    u8 s = 0;
    for (u32 i = 0; i < n; i++)
        s += p[i];
    return s == 0;
}

/* Polls PIT channel 2 (gate through port 0x61) for ms milliseconds. */
static void pit_wait_ms(u32 ms)
{
    for (u32 i = 0; i < ms; i++) {
        outb(0x61, (inb(0x61) & ~0x02) | 0x01);    /* gate on, speaker off */
        outb(0x43, 0xB0);                           /* channel 2, lobyte/hibyte, mode 0 */
        outb(0x42, 1193 & 0xFF);
        outb(0x42, 1193 >> 8);
        while (!(inb(0x61) & 0x20))
            ;
    }
}

u32 kmain(u32 magic, void *mbi)
{
    (void)magic;
    (void)mbi;
    serial_init();
    const u8 *fp = 0;
    for (u32 a = 0xF0000; a < 0x100000 && !fp; a += 16) {
        const u8 *p = (const u8 *)a;
        if (p[0] == '_' && p[1] == 'M' && p[2] == 'P' && p[3] == '_' && sum_ok(p, 16))
            fp = p;
    }
    if (!fp) {
        puts("mp: no floating pointer\n");
        return 1;
    }
    puts("mp: floating pointer found, checksum ok\n");
    const u8 *ct = (const u8 *)*(const u32 *)(fp + 4);
    u16 len = *(const u16 *)(ct + 4);
    puts(ct[0] == 'P' && ct[1] == 'C' && ct[2] == 'M' && ct[3] == 'P' && sum_ok(ct, len) ? "mp: configuration table checksum ok\n" : "mp: configuration table bad\n");
    u32 counts[5] = { 0 };
    const u8 *e = ct + 44;
    u16 n = *(const u16 *)(ct + 34);
    u32 ioapic_addr = 0;
    for (u16 i = 0; i < n; i++) {
        if (*e > 4)
            break;
        counts[*e]++;
        if (*e == 2)
            ioapic_addr = *(const u32 *)(e + 4);
        e += *e == 0 ? 20 : 8;
    }
    print_kv("mp: processors", counts[0]);
    print_kv("mp: I/O APICs", counts[2]);
    print_kv("board: MP interrupt entries", counts[3]);
    print_kv("mp: I/O APIC address", ioapic_addr);

    /* Interrupts through the APIC: the 8259s masked, the IMCR on APIC mode, the local APIC on. */
    for (int v = 0; v < 256; v++)
        set_gate(v, spurious_isr);
    set_gate(0x40, timer_isr);
    set_gate(0x41, com1_isr);
    struct { u16 l; u32 b; } __attribute__((packed)) idtr = { sizeof idt - 1, (u32)idt };
    __asm__ volatile("lidt %0" : : "m"(idtr));
    outb(0x21, 0xFF);
    outb(0xA1, 0xFF);
    outb(0x22, 0x70);
    outb(0x23, 0x01);
    lapic_w(0xF0, 0x1FF);
    print_kv("apic: version", lapic_r(0x30) & 0xFF);
    print_kv("apic: I/O APIC redirection entries", ((ioapic_r(1) >> 16) & 0xFF) + 1);

    /* The timer against the PIT: counts in 10 ms at divide-by-16. */
    lapic_w(0x3E0, 0x3);
    lapic_w(0x320, 0x10040);                         /* masked, one-shot */
    lapic_w(0x380, 0xFFFFFFFF);
    pit_wait_ms(10);
    u32 per10ms = 0xFFFFFFFF - lapic_r(0x390);
    print_kv("board: apic counts per 10 ms", per10ms);

    /* Periodic at 100 Hz for a PIT-timed 100 ms: about ten interrupts. */
    lapic_w(0x320, 0x20040);                         /* periodic, vector 0x40 */
    lapic_w(0x380, per10ms);
    __asm__ volatile("sti");
    pit_wait_ms(100);
    __asm__ volatile("cli");
    lapic_w(0x320, 0x10040);
    u32 t = timer_ticks;
    puts(t >= 9 && t <= 11 ? "timing: apic periodic timer, about 10 interrupts in 100 ms\n" : "timing: apic periodic timer off\n");
    print_kv("board: timer interrupts", t);

    /* COM1 (IRQ 4) through I/O APIC pin 4 to vector 0x41, edge, active high. */
    ioapic_w(0x10 + 2 * 4 + 1, 0);
    ioapic_w(0x10 + 2 * 4, 0x41);
    __asm__ volatile("sti");
    outb(0x3F8 + 4, 0x0B);                           /* OUT2 gates the UART's interrupt onto the bus */
    outb(0x3F8 + 1, 0x02);                           /* THRE interrupt: the transmitter is empty now */
    for (volatile int i = 0; i < 100000 && !com1_irqs; i++)
        ;
    __asm__ volatile("cli");
    puts(com1_irqs >= 1 ? "ioapic: COM1 interrupt through pin 4\n" : "ioapic: no COM1 interrupt\n");
    print_kv("apic: spurious", spurious);
    return 0;
}
