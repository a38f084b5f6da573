/* The selfcheck guest: the cpucheck conformance workload, then the system features a kernel
 * relies on: GDT/IDT/TSS, exceptions with their error codes, 4 KiB and 4 MiB paging with
 * page faults, CR0.WP, accessed/dirty bits, ring 3 with INT 0x80, SYSENTER and a call gate,
 * and the protection checks that must fault. Every line it prints is architectural, so the
 * output is identical on any correct PC (compared with QEMU by the tests). */
#include "../common/guest.h"
#include "../cpucheck/cpucheck.h"

struct frame {
    u32 ds;
    u32 edi, esi, ebp, esp_dummy, ebx, edx, ecx, eax;
    u32 vector, error;
    u32 eip, cs, eflags;
    u32 user_esp, user_ss;
};

struct tss {
    u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
    u32 eax, ecx, edx, ebx, esp, ebp, esi, edi;
    u32 es, cs, ss, ds, fs, gs, ldt;
    u16 trap, iomap;
} __attribute__((packed));

extern void isr0(void), isr1(void), isr2(void), isr3(void), isr4(void), isr5(void), isr6(void), isr7(void);
extern void isr8(void), isr9(void), isr10(void), isr11(void), isr12(void), isr13(void), isr14(void);
extern void isr16(void), isr17(void), isr128(void);
extern void enter_user(u32 eip, u32 esp);
extern void resume_kernel(void) __attribute__((noreturn));
extern void sysenter_entry(void), callgate_entry(void), user_main(void);

static u64 gdt[8] __attribute__((aligned(8)));
static u64 idt[256] __attribute__((aligned(8)));
static struct tss tss;
static u32 page_dir[1024] __attribute__((aligned(4096)));
static u32 page_table0[1024] __attribute__((aligned(4096)));
static u32 page_table_hi[1024] __attribute__((aligned(4096)));
static u8 kernel_stack[8192] __attribute__((aligned(16)));
static u8 sysenter_stack[4096] __attribute__((aligned(16)));
static u8 user_stack[8192] __attribute__((aligned(16)));

volatile u32 recover_eip;  /* where a kernel-mode test continues after its expected fault */
volatile u32 user_recover; /* the same for ring 3 */
static volatile u32 faults;

static void emit(const char *name, u32 value)
{
    puts("cpucheck ");
    print_kv(name, value);
}

static u64 seg_desc(u32 base, u32 limit, u32 access, u32 flags)
{
    return (u64)(limit & 0xFFFF) | ((u64)(base & 0xFFFFFF) << 16) | ((u64)access << 40) |
           ((u64)((limit >> 16) & 0xF) << 48) | ((u64)flags << 52) | ((u64)(base >> 24) << 56);
}

static u64 gate_desc(void (*fn)(void), u16 sel, u32 type_attr)
{
    u32 off = (u32)fn;
    return (u64)(off & 0xFFFF) | ((u64)sel << 16) | ((u64)type_attr << 40) | ((u64)(off >> 16) << 48);
}

static void set_idt(int v, void (*fn)(void), u32 dpl)
{
    idt[v] = gate_desc(fn, 0x08, 0x8E | (dpl << 5)); /* 32-bit interrupt gate */
}

static void load_tables(void)
{
    gdt[0] = 0;
    gdt[1] = seg_desc(0, 0xFFFFF, 0x9A, 0xC); /* 0x08 kernel code */
    gdt[2] = seg_desc(0, 0xFFFFF, 0x92, 0xC); /* 0x10 kernel data */
    gdt[3] = seg_desc(0, 0xFFFFF, 0xFA, 0xC); /* 0x18 user code */
    gdt[4] = seg_desc(0, 0xFFFFF, 0xF2, 0xC); /* 0x20 user data */
    gdt[5] = seg_desc((u32)&tss, sizeof(tss) - 1, 0x89, 0x0); /* 0x28 TSS */
    gdt[6] = gate_desc(callgate_entry, 0x08, 0xEC) | (1ull << 32); /* 0x30 call gate, DPL 3, 1 parameter */
    gdt[7] = seg_desc(0x12345, 0x0FFF, 0x92, 0x0); /* 0x38 a small data segment for LSL/LAR */
    struct { u16 limit; u32 base; } __attribute__((packed)) gdtr = { sizeof(gdt) - 1, (u32)gdt };
    __asm__ volatile("lgdt %0\n\t"
                     "ljmp $0x08, $1f\n"
                     "1:\tmovw $0x10, %%ax\n\tmovw %%ax, %%ds\n\tmovw %%ax, %%es\n\t"
                     "movw %%ax, %%ss\n\tmovw %%ax, %%fs\n\tmovw %%ax, %%gs"
                     : : "m"(gdtr) : "eax", "memory");

    void (*stubs[])(void) = { isr0, isr1, isr2, isr3, isr4, isr5, isr6, isr7, isr8, isr9, isr10, isr11, isr12, isr13, isr14 };
    for (int v = 0; v < 15; v++)
        set_idt(v, stubs[v], v == 3 ? 3 : 0);
    set_idt(16, isr16, 0);
    set_idt(17, isr17, 0);
    set_idt(0x80, isr128, 3);
    struct { u16 limit; u32 base; } __attribute__((packed)) idtr = { sizeof(idt) - 1, (u32)idt };
    __asm__ volatile("lidt %0" : : "m"(idtr));

    tss.ss0 = 0x10;
    tss.esp0 = (u32)(kernel_stack + sizeof(kernel_stack));
    tss.iomap = sizeof(tss); /* no I/O bitmap: every port faults at CPL 3 */
    __asm__ volatile("ltr %w0" : : "r"(0x28));
}

void isr_dispatch(struct frame *f)
{
    faults++;
    if (f->vector == 0x80) {
        if (f->eax == 0)
            resume_kernel();
        puts("int80: ebx=");
        put_hex(f->ebx);
        puts(" from cpl ");
        put_dec(f->cs & 3);
        putc('\n');
        return;
    }
    puts("exception ");
    put_dec(f->vector);
    puts(" error ");
    put_hex(f->error);
    puts(" cpl ");
    put_dec(f->cs & 3);
    if (f->vector == 14) {
        u32 cr2;
        __asm__ volatile("movl %%cr2, %0" : "=r"(cr2));
        puts(" cr2 ");
        put_hex(cr2);
        if ((cr2 & ~0xFFFu) == 0x40000000 && (f->error & 1) == 0) {
            /* demand paging: map the page and retry the instruction */
            page_dir[0x40000000 >> 22] = (u32)page_table_hi | 0x7;
            page_table_hi[0] = 0x300000 | 0x7;
            putc('\n');
            return;
        }
        if ((cr2 & ~0xFFFu) == 0x40001000 && (f->error & 3) == 3) {
            page_table_hi[1] |= 0x2; /* make it writable and retry */
            __asm__ volatile("invlpg (%0)" : : "r"(cr2) : "memory");
            putc('\n');
            return;
        }
    }
    putc('\n');
    if (f->vector == 3)
        return; /* a trap: continue after INT3 */
    if ((f->cs & 3) == 3) {
        f->eip = user_recover;
        return;
    }
    f->eip = recover_eip;
}

void sysenter_handler(u32 eax, u32 edx, u32 ecx)
{
    u16 cs;
    __asm__ volatile("movw %%cs, %0" : "=r"(cs));
    (void)edx;
    (void)ecx;
    puts("sysenter: eax=");
    put_hex(eax);
    puts(" cs=");
    put_hex(cs);
    putc('\n');
}

void callgate_handler(u32 param, u32 cs)
{
    puts("callgate: param=");
    put_hex(param);
    puts(" cpl ");
    put_dec(cs & 3);
    putc('\n');
}

#define EXPECT_FAULT(label, insn)                                                     \
    __asm__ volatile("movl $" #label "f, recover_eip\n\t" insn "\n" #label ":" ::: "memory", "eax", "ecx", "edx")

static void exceptions(void)
{
    EXPECT_FAULT(1, "xorl %%ecx, %%ecx\n\tmovl $5, %%eax\n\txorl %%edx, %%edx\n\tdivl %%ecx");  /* #DE */
    EXPECT_FAULT(1, "ud2");                                                                  /* #UD */
    EXPECT_FAULT(1, "movw $0x1234, %%ax\n\tmovw %%ax, %%ds");                               /* #GP(0x1230) */
    EXPECT_FAULT(1, "movw $0x18, %%ax\n\tmovw %%ax, %%ss");                                 /* #GP(0x18): code segment */
    EXPECT_FAULT(1, "movl $0x7fffffff, %%eax\n\taddl $1, %%eax\n\tinto");                  /* #OF */
    EXPECT_FAULT(1, "pushl $10\n\tpushl $1\n\tmovl $11, %%eax\n\tboundl %%eax, (%%esp)\n\taddl $8, %%esp"); /* #BR */
    __asm__ volatile("addl $8, %%esp" ::: "memory"); /* BOUND faulted before its own cleanup */
    __asm__ volatile("int3");
}

static void paging(void)
{
    for (u32 i = 0; i < 1024; i++)
        page_table0[i] = (i << 12) | 0x7; /* identity, user, writable */
    page_dir[0] = (u32)page_table0 | 0x7;
    page_dir[1] = 0x400000 | 0x87;        /* 4 MiB page */
    page_dir[2] = 0x400000 | 0x87;        /* an alias of it */
    u32 cr4;
    __asm__ volatile("movl %%cr4, %0\n\torl $0x10, %0\n\tmovl %0, %%cr4" : "=r"(cr4));
    __asm__ volatile("movl %0, %%cr3\n\t"
                     "movl %%cr0, %%eax\n\torl $0x80010000, %%eax\n\tmovl %%eax, %%cr0" /* PG | WP */
                     : : "r"(page_dir) : "eax", "memory");
    puts("paging: on\n");

    *(volatile u32 *)0x300010 = 0xCAFEF00D;
    u32 v = *(volatile u32 *)0x40000010; /* not present: the handler maps it */
    print_kv("demand page read", v);

    *(volatile u32 *)0x401234 = 0x600DBEEF;
    print_kv("4M alias read", *(volatile u32 *)0x801234);
    print_kv("4M pde accessed/dirty", page_dir[1] & 0x60);

    page_table_hi[1] = 0x301000 | 0x5;   /* present, user, read-only */
    page_table_hi[2] = 0x302000 | 0x3;   /* present, supervisor, writable */
    *(volatile u32 *)0x40001000 = 0x12345678; /* CR0.WP: supervisor write faults, handler allows it */
    print_kv("wp page after write", *(volatile u32 *)0x40001000);
    print_kv("pte accessed/dirty", page_table_hi[1] & 0x60);
    print_kv("clean pte accessed/dirty", page_table_hi[2] & 0x60);
    (void)*(volatile u32 *)0x40002000;
    print_kv("read pte accessed/dirty", page_table_hi[2] & 0x60);
}

static void descriptors(void)
{
    u32 r, z;
    __asm__ volatile("lsl %2, %0\n\tsetz %b1" : "=r"(r), "=q"(z) : "r"(0x38));
    print_kv("lsl 0x38", r);
    __asm__ volatile("lar %2, %0\n\tsetz %b1" : "=r"(r), "=q"(z) : "r"(0x38));
    print_kv("lar 0x38", r);
    __asm__ volatile("movl $0, %0\n\tlar %2, %0\n\tsetz %b1" : "=&r"(r), "=q"(z) : "r"(0x40));
    print_kv("lar beyond gdt zf", z & 1);
    __asm__ volatile("verr %w1\n\tsetz %b0" : "=q"(z) : "r"(0x08));
    print_kv("verr kernel code", z & 1);
    __asm__ volatile("verw %w1\n\tsetz %b0" : "=q"(z) : "r"(0x08));
    print_kv("verw kernel code", z & 1);
    u16 tr;
    __asm__ volatile("str %0" : "=r"(tr));
    print_kv("str", tr);
    u32 busy = (u32)(gdt[5] >> 40) & 0xF;
    print_kv("tss type after ltr", busy);
    u16 sel = 0x10;
    __asm__ volatile("arpl %w1, %w0" : "+r"(sel) : "r"(0x3));
    print_kv("arpl", sel);
}

static void ring3(void)
{
    __asm__ volatile("wrmsr" : : "c"(0x174), "a"(0x08), "d"(0));
    __asm__ volatile("wrmsr" : : "c"(0x175), "a"((u32)(sysenter_stack + sizeof(sysenter_stack))), "d"(0));
    __asm__ volatile("wrmsr" : : "c"(0x176), "a"((u32)sysenter_entry), "d"(0));
    enter_user((u32)user_main, (u32)(user_stack + sizeof(user_stack)));
    u16 cs;
    __asm__ volatile("movw %%cs, %0" : "=r"(cs));
    print_kv("back in kernel, cs", cs);
}

u32 kmain(u32 magic, void *mbi)
{
    (void)mbi;
    serial_init();
    puts("selfcheck: start\n");
    if (magic != 0x2BADB002)
        return 1;
    cpucheck_run(emit);
    load_tables();
    puts("tables: loaded\n");
    exceptions();
    paging();
    descriptors();
    ring3();
    print_kv("faults handled", faults);
    puts("selfcheck: done\n");
    return 0;
}
