/* Virtual-8086 mode as an OS monitor drives it: an IRET into 8086 code at 3000:0000 with IOPL
 * 3, real-mode segment arithmetic there, INT 30h out to a ring-0 handler (which finds GS, FS,
 * DS and ES pushed above the frame and null data segments), PUSHF/CLI allowed by IOPL 3, an IN
 * refused by the TSS I/O bitmap (#GP) while an OUT is allowed, HLT refused at CPL 3, and then
 * with IOPL 0 a CLI that faults. QEMU prints the same. */
#include "../common/guest.h"

struct frame {
    u32 edi, esi, ebp, esp_, ebx, edx, ecx, eax;
    u32 error, eip, cs, eflags, esp, ss, es, ds, fs, gs;
};

static struct {
    u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
    u32 regs[8];
    u32 sregs[6], ldt;
    u16 trap, iomap;
    u8 bitmap[8192 + 1];
} __attribute__((packed)) tss;

static u64 gdt[4];
static u64 idt[256];
static u8 ring0_stack[8192] __attribute__((aligned(16)));
u32 entry_ds; /* the handler's DS on entry, stored through SS by the stubs */

#define VM86_CODE 0x30000u

/* 16-bit code, hand-assembled. */
static const u8 code_a[] = {
    0xB8, 0x00, 0x20,       /* mov ax, 0x2000 */
    0x8E, 0xD8,             /* mov ds, ax */
    0xB8, 0x34, 0x12,       /* mov ax, 0x1234 */
    0xA3, 0x10, 0x00,       /* mov [0x10], ax: linear 0x20010 */
    0xCD, 0x30,             /* int 0x30 */
    0x9C,                   /* pushf */
    0x58,                   /* pop ax */
    0xA3, 0x12, 0x00,       /* mov [0x12], ax: the flags as 8086 code sees them */
    0xFA,                   /* cli */
    0xE4, 0x61,             /* in al, 0x61: the bitmap refuses it */
    0xE6, 0x80,             /* out 0x80, al: allowed */
    0xF4,                   /* hlt: #GP at CPL 3 */
};
static const u8 code_b[] = {
    0xFA,                   /* cli with IOPL 0: #GP */
};

static void h16(u32 v)
{
    static const char hex[] = "0123456789abcdef";
    for (int s = 12; s >= 0; s -= 4)
        putc(hex[(v >> s) & 15]);
}

static void show(const char *what, struct frame *f)
{
    puts(what);
    puts(": at ");
    h16(f->cs);
    putc(':');
    h16(f->eip);
    puts(" vm ");
    put_dec((f->eflags >> 17) & 1);
    puts(" iopl ");
    put_dec((f->eflags >> 12) & 3);
    puts(", pushed es ds fs gs ");
    h16(f->es);
    putc(' ');
    h16(f->ds);
    putc(' ');
    h16(f->fs);
    putc(' ');
    h16(f->gs);
    puts(", ss:sp ");
    h16(f->ss);
    putc(':');
    h16(f->esp);
    puts(", ds in the handler ");
    h16(entry_ds);
    putc('\n');
}

void int30_handler(struct frame *f)
{
    show("int 30h", f);
    puts("int 30h: ax ");
    h16(f->eax);
    puts(", word at 2000:0010 ");
    h16(*(volatile u16 *)0x20010);
    putc('\n');
}

void gp_handler(struct frame *f)
{
    u8 op = *(volatile u8 *)((f->cs << 4) + f->eip);
    show("#GP", f);
    puts("#GP: error ");
    h16(f->error);
    puts(", opcode ");
    h16(op);
    putc('\n');
    if (op == 0xE4) {
        f->eip += 2;                   /* skip the refused IN */
    } else if (op == 0xF4) {
        puts("vm86: flags pushed by 8086 code ");
        h16(*(volatile u16 *)0x20012);
        putc('\n');
        f->eip = sizeof(code_a);       /* on to code_b, with IOPL 0 */
        f->eflags &= ~0x3000u;
    } else {
        guest_exit(0x42);
    }
}

void gp_stub(void);
void int30_stub(void);
/* Each stub saves the registers, notes DS as found (through SS: DS may be null), loads flat
 * data segments and hands the frame to its C handler; INT 30h has no error code of its own. */
__asm__(
    ".macro handler_stub name, handler, push_error\n"
    ".globl \\name\n"
    "\\name:\n"
    "    .if \\push_error\n"
    "    pushl $0\n"
    "    .endif\n"
    "    pushal\n"
    "    movl %ds, %eax\n"
    "    movl %eax, %ss:entry_ds\n"
    "    movl $0x10, %eax\n"
    "    movl %eax, %ds\n"
    "    movl %eax, %es\n"
    "    pushl %esp\n"
    "    call \\handler\n"
    "    addl $4, %esp\n"
    "    popal\n"
    "    addl $4, %esp\n"
    "    iret\n"
    ".endm\n"
    "handler_stub gp_stub, gp_handler, 0\n"
    "handler_stub int30_stub, int30_handler, 1\n");

static u64 gate(void (*handler)(void), int dpl, int trap)
{
    u32 h = (u32)handler;
    return (u64)(h & 0xFFFF) | (0x08ull << 16) | ((u64)(0x8E | trap | (dpl << 5)) << 40) | ((u64)(h >> 16) << 48);
}

u32 kmain(u32 magic, void *mbi)
{
    (void)magic;
    (void)mbi;
    serial_init();
    u32 base = (u32)&tss, limit = sizeof(tss) - 1;
    gdt[1] = 0x00CF9A000000FFFFull;
    gdt[2] = 0x00CF92000000FFFFull;
    gdt[3] = (u64)(limit & 0xFFFF) | ((u64)(base & 0xFFFFFF) << 16) | (0x89ull << 40) | ((u64)(limit >> 16) << 48) | ((u64)(base >> 24) << 56);
    idt[13] = gate(gp_stub, 0, 0);
    idt[0x30] = gate(int30_stub, 3, 1);
    tss.esp0 = (u32)ring0_stack + sizeof(ring0_stack);
    tss.ss0 = 0x10;
    tss.iomap = (u16)((u32)tss.bitmap - (u32)&tss);
    tss.bitmap[0x61 / 8] |= 1 << (0x61 % 8);
    tss.bitmap[8192] = 0xFF;
    struct { u16 limit; u32 base; } __attribute__((packed)) gdtr = { sizeof(gdt) - 1, (u32)gdt }, idtr = { sizeof(idt) - 1, (u32)idt };
    __asm__ volatile("lgdt %0; lidt %1; ljmp $0x08, $1f; 1: movw $0x10, %%ax; movw %%ax, %%ds; movw %%ax, %%es; movw %%ax, %%ss; movw %%ax, %%fs; movw %%ax, %%gs; movw $0x18, %%ax; ltr %%ax"
                     : : "m"(gdtr), "m"(idtr) : "eax", "memory");
    memcpy((void *)VM86_CODE, code_a, sizeof(code_a));
    memcpy((void *)(VM86_CODE + sizeof(code_a)), code_b, sizeof(code_b));
    puts("vm86: entering 3000:0000 with IOPL 3\n");
    /* The IRET frame for virtual-8086 mode: GS, FS, DS, ES, SS, ESP, EFLAGS (VM, IOPL 3), CS, EIP. */
    __asm__ volatile(
        "pushl $0x0111\n"      /* GS */
        "pushl $0x0222\n"      /* FS */
        "pushl $0x0333\n"      /* DS */
        "pushl $0x0444\n"      /* ES */
        "pushl $0x4000\n"      /* SS: 4000:1000 = linear 0x41000 */
        "pushl $0x1000\n"      /* ESP */
        "pushl $0x00023002\n"  /* EFLAGS: VM, IOPL 3, IF clear */
        "pushl $0x3000\n"      /* CS */
        "pushl $0\n"           /* EIP */
        "iret\n" ::: "memory");
    puts("vm86: not reached\n");
    return 0;
}
