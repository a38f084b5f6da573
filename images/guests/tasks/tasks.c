/* Hardware task switches, as the SDM describes them: a far CALL to a TSS (the called task sees
 * NT and its back link), IRET back through the link, a far JMP through a task gate in the GDT,
 * INT through a task gate in the IDT, and #GP delivered through a task gate, its error code
 * pushed on the new task's stack. Busy bits, TR, CR0.TS and the registers saved in and loaded
 * from the TSSs are printed at each step; QEMU prints the same. */
#include "../common/guest.h"

struct tss {
    u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
    u32 eax, ecx, edx, ebx, esp, ebp, esi, edi;
    u32 es, cs, ss, ds, fs, gs, ldt, iomap;
} __attribute__((packed));

static struct tss tss_a, tss_b, tss_c;
static u8 stack_b[4096] __attribute__((aligned(16)));
static u8 stack_c[4096] __attribute__((aligned(16)));
static u64 gdt[8];
static u64 idt[256];

#define SEL_CODE 0x08
#define SEL_DATA 0x10
#define SEL_TSS_A 0x18
#define SEL_TSS_B 0x20
#define SEL_GATE_B 0x28
#define SEL_TSS_C 0x30

static u64 tss_descriptor(struct tss *t)
{
    u32 base = (u32)t, limit = sizeof(struct tss) - 1;
    return (u64)(limit & 0xFFFF) | ((u64)(base & 0xFFFFFF) << 16) | (0x89ull << 40) | ((u64)(base >> 24) << 56);
}

static u64 task_gate(u16 tss_sel) { return ((u64)tss_sel << 16) | (0x85ull << 40); }

static void h16(u32 v)
{
    static const char hex[] = "0123456789abcdef";
    for (int s = 12; s >= 0; s -= 4)
        putc(hex[(v >> s) & 15]);
}

static u16 str(void)
{
    u16 v;
    __asm__ volatile("str %0" : "=r"(v));
    return v;
}

static u32 eflags(void)
{
    u32 f;
    __asm__ volatile("pushfl; popl %0" : "=r"(f));
    return f;
}

static u32 cr0(void)
{
    u32 v;
    __asm__ volatile("movl %%cr0, %0" : "=r"(v));
    return v;
}

static int busy(u16 sel) { return (int)((gdt[sel >> 3] >> 41) & 1); }

static void show_busy(void)
{
    puts(" busy a/b/c ");
    put_dec(busy(SEL_TSS_A));
    putc('/');
    put_dec(busy(SEL_TSS_B));
    putc('/');
    put_dec(busy(SEL_TSS_C));
    putc('\n');
}

static void task_b(void)
{
    u32 round = 0;
    for (;;) {
        round++;
        puts("b: round ");
        put_dec(round);
        puts(", tr ");
        h16(str());
        puts(", nt ");
        put_dec((eflags() >> 14) & 1);
        puts(", link ");
        h16(tss_b.link);
        show_busy();
        if (round == 2)
            __asm__ volatile("ljmp $0x18, $0" ::: "memory");  /* back to A by JMP */
        else
            __asm__ volatile("iret" ::: "memory");             /* back to the task that called */
    }
}

/* Task C starts with the error code on its stack: this stub hands it to the C code as an argument. */
void task_c_entry(void);
__asm__(".globl task_c_entry\ntask_c_entry:\n    call task_c\n1:  hlt\n    jmp 1b\n");

__attribute__((used)) void task_c(u32 error)
{
    puts("c: #GP through a task gate, error code ");
    h16(error);
    puts(", tr ");
    h16(str());
    puts(", nt ");
    put_dec((eflags() >> 14) & 1);
    puts(", a's saved eip is the faulting instruction: ");
    puts(tss_a.eip == tss_a.edx ? "yes" : "no");
    show_busy();
    guest_exit(0x5A);
}

static void init_task(struct tss *t, void (*entry)(void), u8 *stack_top)
{
    t->eip = (u32)entry;
    t->eflags = 0x2;
    t->esp = (u32)stack_top;
    t->cs = SEL_CODE;
    t->es = t->ss = t->ds = t->fs = t->gs = SEL_DATA;
}

u32 kmain(u32 magic, void *mbi)
{
    (void)magic;
    (void)mbi;
    serial_init();
    gdt[1] = 0x00CF9A000000FFFFull;
    gdt[2] = 0x00CF92000000FFFFull;
    gdt[3] = tss_descriptor(&tss_a);
    gdt[4] = tss_descriptor(&tss_b);
    gdt[5] = task_gate(SEL_TSS_B);
    gdt[6] = tss_descriptor(&tss_c);
    idt[0x31] = task_gate(SEL_TSS_B);
    idt[13] = task_gate(SEL_TSS_C);
    struct { u16 limit; u32 base; } __attribute__((packed)) gdtr = { sizeof(gdt) - 1, (u32)gdt }, idtr = { sizeof(idt) - 1, (u32)idt };
    __asm__ volatile("lgdt %0; lidt %1; ljmp $0x08, $1f; 1: movw $0x10, %%ax; movw %%ax, %%ds; movw %%ax, %%es; movw %%ax, %%ss; movw %%ax, %%fs; movw %%ax, %%gs"
                     : : "m"(gdtr), "m"(idtr) : "eax", "memory");
    __asm__ volatile("ltr %w0" : : "r"(SEL_TSS_A));
    init_task(&tss_b, task_b, stack_b + sizeof(stack_b));
    init_task(&tss_c, task_c_entry, stack_c + sizeof(stack_c));
    puts("a: tr ");
    h16(str());
    show_busy();

    u32 kept;
    __asm__ volatile("movl $0xA1A1, %%edi; lcall $0x20, $0; movl %%edi, %0" : "=r"(kept) : : "edi", "memory");
    puts("a: back from the call, edi ");
    h16(kept);
    puts(", tr ");
    h16(str());
    puts(", cr0.ts ");
    put_dec((cr0() >> 3) & 1);
    puts(", nt ");
    put_dec((eflags() >> 14) & 1);
    show_busy();
    __asm__ volatile("clts");

    __asm__ volatile("ljmp $0x28, $0" ::: "memory");           /* through the GDT task gate */
    puts("a: back from the jump, tr ");
    h16(str());
    show_busy();

    __asm__ volatile("int $0x31" ::: "memory");                /* through the IDT task gate */
    puts("a: back from int 0x31, tr ");
    h16(str());
    show_busy();

    /* #GP(0x78): a selector beyond the GDT. EDX holds the faulting instruction's address for C to compare. */
    __asm__ volatile("movl $1f, %%edx; movw $0x7B, %%ax; 1: movw %%ax, %%ds" ::: "eax", "edx", "memory");
    puts("a: not reached\n");
    return 0;
}
