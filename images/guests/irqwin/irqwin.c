/* Interrupt windows: where, between two instructions, a pending interrupt is taken. Self-IPIs
 * through the local APIC are made pending with IF clear; then the guest opens a window and
 * each handler records the return address it finds on its stack (the instruction boundary at
 * which it was taken). SDM vol. 3A 6.8.3 (STI's one-instruction shadow), 6.6 (interrupts are
 * recognised at instruction boundaries), 10.8.3.1 (PPR from TPR and ISR), 10.8.5 (EOI).
 * Lines starting "exact:" are boundaries that hardware takes but QEMU's TCG defers to the end
 * of a translation block (an MMIO write that unblocks an interrupt does not end QEMU's block). */
#include "../common/guest.h"

#define LAPIC 0xFEE00000u
static inline void lapic_w(u32 r, u32 v) { *(volatile u32 *)(LAPIC + r) = v; }

/* The log the handlers append to: vector and return EIP of each interrupt taken. */
volatile u32 log_vec[8], log_eip[8], log_n;

extern void isr_generic(void);
extern void isr_nested(void);
extern char after_nop[], after_popfd[], after_eoi[], after_tpr[], after_iret_target[], after_nop2[];

/* isr_N pushes its vector and joins the common body: log (vector, return EIP), EOI, IRET. */
__asm__(".macro ISR v\n.globl isr_\\v\nisr_\\v:\n\tpushl $\\v\n\tjmp isr_common\n.endm\n"
        "ISR 32\nISR 33\nISR 34\nISR 80\nISR 96\nISR 255\n"
        "isr_common:\n"
        "\tpushl %eax\n\tpushl %ebx\n"
        "\tmovl log_n, %ebx\n"
        "\tmovl 8(%esp), %eax\n\tmovl %eax, log_vec(,%ebx,4)\n"   /* the vector */
        "\tmovl 12(%esp), %eax\n\tmovl %eax, log_eip(,%ebx,4)\n"  /* the return EIP */
        "\tincl log_n\n"
        "\tmovl $0, 0xFEE000B0\n"                                 /* EOI */
        "\tpopl %ebx\n\tpopl %eax\n\taddl $4, %esp\n\tiretl\n"
        /* Vector 0x51 lets 0x50 (same priority class, so held back by the ISR) in: with IF set
         * again, the EOI is the instruction after which 0x50 is taken. */
        ".globl isr_81\nisr_81:\n"
        "\tpushl %eax\n\tpushl %ebx\n"
        "\tmovl log_n, %ebx\n\tmovl $81, log_vec(,%ebx,4)\n\tmovl 8(%esp), %eax\n\tmovl %eax, log_eip(,%ebx,4)\n\tincl log_n\n"
        "\tsti\n\tnop\n"
        "\tmovl $0, 0xFEE000B0\n"
        ".globl after_eoi\nafter_eoi:\n"
        "\tcli\n\tpopl %ebx\n\tpopl %eax\n\tiretl\n");
extern void isr_32(void), isr_33(void), isr_34(void), isr_80(void), isr_81(void), isr_96(void), isr_255(void);

static u64 idt[256] __attribute__((aligned(8)));

static void set_gate(int v, void (*h)(void))
{
    u32 a = (u32)h;
    u16 cs;
    __asm__ volatile("movw %%cs, %0" : "=r"(cs));
    idt[v] = (a & 0xFFFF) | ((u64)cs << 16) | (0x8Eull << 40) | ((u64)(a >> 16) << 48);
}

static void self_ipi(u32 vector) { lapic_w(0x300, 0x40000 | vector); } /* fixed, shorthand self, edge */

/* Prints the log as "name: vector@label" entries, a label being where the handler returned to. */
static void report(const char *name, const char *const *labels, const u32 *addrs, int nlabels)
{
    puts(name);
    puts(":");
    for (u32 i = 0; i < log_n; i++) {
        puts(" ");
        put_dec(log_vec[i]);
        puts("@");
        const char *l = "elsewhere";
        for (int k = 0; k < nlabels; k++)
            if (log_eip[i] == addrs[k])
                l = labels[k];
        puts(l);
    }
    if (log_n == 0)
        puts(" none");
    putc('\n');
    log_n = 0;
}

u32 kmain(u32 magic, void *mbi)
{
    (void)magic;
    (void)mbi;
    serial_init();
    for (int v = 0; v < 256; v++)
        set_gate(v, isr_255);
    set_gate(32, isr_32);
    set_gate(33, isr_33);
    set_gate(34, isr_34);
    set_gate(80, isr_80);
    set_gate(81, isr_81);
    set_gate(96, isr_96);
    struct { u16 l; u32 b; } __attribute__((packed)) idtr = { sizeof idt - 1, (u32)idt };
    __asm__ volatile("lidt %0" : : "m"(idtr));
    outb(0x21, 0xFF); /* the 8259s masked: only the local APIC interrupts */
    outb(0xA1, 0xFF);
    lapic_w(0xF0, 0x1FF);
    lapic_w(0x80, 0);

    /* Two interrupts pending: STI's shadow lets the NOP run first, then 33 (the higher) is
     * taken before CLI; its EOI and IRET let 32 in at the same boundary. */
    self_ipi(32);
    self_ipi(33);
    __asm__ volatile("sti\n\tnop\n.globl after_nop\nafter_nop:\n\tcli" ::: "memory");
    {
        static const char *const l[] = { "cli" };
        const u32 a[] = { (u32)after_nop };
        report("sti;nop;cli", l, a, 1);
    }

    /* POPFD setting IF: the interrupt comes right after it. */
    self_ipi(34);
    __asm__ volatile("pushl $0x202\n\tpopfl\n.globl after_popfd\nafter_popfd:\n\tcli" ::: "memory");
    {
        static const char *const l[] = { "cli" };
        const u32 a[] = { (u32)after_popfd };
        report("popfd;cli", l, a, 1);
    }

    /* IRET restoring IF: the interrupt comes right after it, at its target. */
    self_ipi(34);
    __asm__ volatile("pushfl\n\torl $0x200, (%%esp)\n\tpushl %%cs\n\tpushl $after_iret_target\n\tiretl\n"
                     ".globl after_iret_target\nafter_iret_target:\n\tcli" ::: "memory");
    {
        static const char *const l[] = { "cli" };
        const u32 a[] = { (u32)after_iret_target };
        report("iret;cli", l, a, 1);
    }

    /* The EOI inside a handler that has set IF again: 80 was held back by 81 in service. */
    self_ipi(80);
    self_ipi(81);
    __asm__ volatile("sti\n\tnop\n.globl after_nop2\nafter_nop2:\n\tcli" ::: "memory");
    {
        static const char *const l[] = { "cli", "eoi" };
        const u32 a[] = { (u32)after_nop2, (u32)after_eoi };
        report("exact: eoi", l, a, 2);
    }

    /* A TPR write that lowers the priority below a pending interrupt, with IF set. */
    lapic_w(0x80, 0xF0);
    self_ipi(96);
    __asm__ volatile("sti\n\tnop\n\tnop\n\tmovl $0, 0xFEE00080\n.globl after_tpr\nafter_tpr:\n\tcli" ::: "memory");
    {
        static const char *const l[] = { "tpr" };
        const u32 a[] = { (u32)after_tpr };
        report("exact: tpr", l, a, 1);
    }
    __asm__ volatile("sti\n\tnop\n\tcli" ::: "memory"); /* QEMU takes it here */
    log_n = 0;
    return 0;
}
