/* The debug facilities as a kernel debugger uses them: single-stepping with TF (each
 * instruction, each REP iteration, none after INT, held back by MOV SS), an instruction
 * breakpoint resumed with RF, data breakpoints on writes and on reads or writes (also inside
 * REP STOS) and an I/O breakpoint under CR4.DE. A #DB handler records where each trap or
 * fault left the program and DR6; QEMU prints the same. (General detect, which QEMU 7.2 does
 * not implement, is covered by the CPU unit tests.) */
#include "../common/guest.h"

static u64 idt[256];
static u32 records[64][2];
static u32 count;
static u8 data[64];

void db_handler(u32 *frame);
void db_stub(void);
void int30_stub(void);
__asm__(
    ".globl db_stub\n"
    "db_stub:\n"
    "    pushal\n"
    "    pushl %esp\n"
    "    call db_handler\n"
    "    addl $4, %esp\n"
    "    popal\n"
    "    iret\n"
    ".globl int30_stub\n"
    "int30_stub:\n"
    "    iret\n");

/* frame: the pushal block (8 words), then EIP, CS, EFLAGS. */
void db_handler(u32 *frame)
{
    u32 dr6;
    __asm__ volatile("movl %%dr6, %0" : "=r"(dr6));
    if (count < 64) {
        records[count][0] = frame[8];
        records[count][1] = dr6 & 0xE00F;
        count++;
    }
    __asm__ volatile("movl %0, %%dr6" : : "r"(0u));
    frame[10] |= 0x10000; /* RF: resume past an instruction breakpoint */
}

static u64 gate(void (*h)(void), int dpl)
{
    u16 cs;
    __asm__("movw %%cs, %0" : "=r"(cs));
    u32 a = (u32)h;
    return (u64)(a & 0xFFFF) | ((u64)cs << 16) | ((u64)(0x8E | (dpl << 5)) << 40) | ((u64)(a >> 16) << 48);
}

/* Prints the records relative to a label, then forgets them. */
static void report(const char *what, u32 base)
{
    puts(what);
    puts(":");
    for (u32 i = 0; i < count; i++) {
        puts(" +");
        put_dec(records[i][0] - base);
        puts("/");
        put_hex(records[i][1]);
    }
    putc('\n');
    count = 0;
}

extern char step_start[], bp_target[], data_start[], io_start[];

u32 kmain(u32 magic, void *mbi)
{
    (void)magic;
    (void)mbi;
    serial_init();
    idt[1] = gate(db_stub, 0);
    idt[0x30] = gate(int30_stub, 3);
    struct { u16 limit; u32 base; } __attribute__((packed)) idtr = { sizeof(idt) - 1, (u32)idt };
    __asm__ volatile("lidt %0" : : "m"(idtr));

    /* Single-step: POPF sets TF, then each instruction traps after it. */
    __asm__ volatile(
        "movl %0, %%esi\n"
        "leal 16(%0), %%edi\n"
        "movl $3, %%ecx\n"
        "pushfl\n"
        "orl $0x100, (%%esp)\n"
        "popfl\n"
        "step_start:\n"
        "movl $1, %%eax\n"
        "cld\n"
        "rep movsb\n"
        "movw %%ss, %%bx\n"
        "movw %%bx, %%ss\n"
        "nop\n"
        "int $0x30\n"
        "nop\n"
        "pushfl\n"
        "andl $~0x100, (%%esp)\n"
        "popfl\n"
        "nop\n"
        : : "r"(data) : "eax", "ebx", "ecx", "esi", "edi", "memory", "cc");
    report("single-step", (u32)step_start);

    /* An instruction breakpoint on bp_target, run twice (RF lets each run through once). */
    __asm__ volatile(
        "movl $bp_target, %%eax\n"
        "movl %%eax, %%dr0\n"
        "movl $0x1, %%eax\n"
        "movl %%eax, %%dr7\n"
        "call 1f\n"
        "call 1f\n"
        "jmp 2f\n"
        "1:\n"
        "bp_target:\n"
        "incl %%ecx\n"
        "ret\n"
        "2:\n"
        "xorl %%eax, %%eax\n"
        "movl %%eax, %%dr7\n"
        : : : "eax", "ecx", "memory");
    report("instruction breakpoint", (u32)bp_target);

    /* DR1: writes to a dword; DR2: reads or writes of one byte. */
    __asm__ volatile(
        "movl %0, %%eax\n"
        "movl %%eax, %%dr1\n"
        "leal 33(%0), %%eax\n"
        "movl %%eax, %%dr2\n"
        "movl $((1 << 2) | (1 << 4) | (0xD << 20) | (0x3 << 24)), %%eax\n"
        "movl %%eax, %%dr7\n"
        "data_start:\n"
        "movl %%eax, 2(%0)\n"
        "movl (%0), %%ebx\n"
        "movb 32(%0), %%bl\n"
        "movb 33(%0), %%bl\n"
        "leal 31(%0), %%edi\n"
        "movl $4, %%ecx\n"
        "rep stosb\n"
        "xorl %%eax, %%eax\n"
        "movl %%eax, %%dr7\n"
        : : "r"(data) : "eax", "ebx", "ecx", "edi", "memory");
    report("data breakpoints", (u32)data_start);

    /* DR3: I/O ports 0x60-0x61 under CR4.DE. */
    __asm__ volatile(
        "movl %%cr4, %%eax\n"
        "orl $0x8, %%eax\n"
        "movl %%eax, %%cr4\n"
        "movl $0x60, %%eax\n"
        "movl %%eax, %%dr3\n"
        "movl $((1 << 6) | (0x6 << 28)), %%eax\n"
        "movl %%eax, %%dr7\n"
        "io_start:\n"
        "inb $0x64, %%al\n"
        "inb $0x61, %%al\n"
        "xorl %%eax, %%eax\n"
        "movl %%eax, %%dr7\n"
        "movl %%cr4, %%eax\n"
        "andl $~0x8, %%eax\n"
        "movl %%eax, %%cr4\n"
        : : : "eax", "memory");
    report("i/o breakpoint", (u32)io_start);

    return 0;
}
