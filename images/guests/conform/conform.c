/* The differential-testing harness: runs each case of the module the generator wrote (random
 * instruction sequences with random registers, flags, memory and FPU state) and prints the
 * final state, one line per case. The same output from minix318emu and from QEMU means the
 * two CPUs agree; tools/Minix318Emu.Cli/Conformance compares them field by field. */
#include "../common/guest.h"
#include "conform.h"

struct mb_info { u32 flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr; };
struct mb_module { u32 start, end, string, reserved; };

struct conform_result result;
extern void run_case(const struct conform_case *c);
extern void case_done(void);
#define STUB(n) extern void fault_stub_##n(void);
STUB(0) STUB(1) STUB(2) STUB(3) STUB(4) STUB(5) STUB(6) STUB(7) STUB(8) STUB(9)
STUB(10) STUB(11) STUB(12) STUB(13) STUB(14) STUB(15) STUB(16) STUB(17) STUB(18) STUB(19)
static void (*const stubs[20])(void) = {
    fault_stub_0, fault_stub_1, fault_stub_2, fault_stub_3, fault_stub_4, fault_stub_5, fault_stub_6,
    fault_stub_7, fault_stub_8, fault_stub_9, fault_stub_10, fault_stub_11, fault_stub_12, fault_stub_13,
    fault_stub_14, fault_stub_15, fault_stub_16, fault_stub_17, fault_stub_18, fault_stub_19,
};

/* The GDT the generator's selectors name (HarnessLayout.cs). Restored before every case, so the
 * accessed bits one case sets never change the next. */
static const u64 gdt_template[] = {
    0,
    0x00CF9B000000FFFFull, /* 0x08 code, ring 0, flat (accessed: the harness loads it) */
    0x00CF93000000FFFFull, /* 0x10 data, read/write, flat (accessed) */
    0x00CF90000000FFFFull, /* 0x18 data, read-only */
    0x00CF96000000FFFFull, /* 0x20 data, expand-down, read/write */
    0x00CF12000000FFFFull, /* 0x28 data, not present */
    0x00CFF2000000FFFFull, /* 0x30 data, DPL 3 */
    0x00CF98000000FFFFull, /* 0x38 code, execute-only */
    0x00CF9A000000FFFFull, /* 0x40 code, readable (loadable into DS) */
    0x054092C01000003Full, /* 0x48 data, base DATA_BASE, limit 0x3F, 32-bit */
    0,                     /* 0x50 call gate, filled in at run time */
    0x050092C010000FFFull, /* 0x58 data, base DATA_BASE, limit 0xFFF, 16-bit */
    0x00CF9E000000FFFFull, /* 0x60 code, conforming, readable */
};
static u64 gdt[sizeof gdt_template / sizeof gdt_template[0]];
static u64 idt[32];
static u32 page_dir[1024] __attribute__((aligned(4096)));
static u32 page_table[1024] __attribute__((aligned(4096)));

struct __attribute__((packed)) dtr { u16 limit; u32 base; };

extern void gate_target(void);
#define STR2(x) #x
#define STR(x) STR2(x)
__asm__(".globl gate_target\ngate_target: jmp *%cs:" STR(DONE_SLOT) "\n");

void report_harness_fault(void)
{
    puts("HARNESS FAULT\n");
    guest_exit(3);
}

static void setup_cpu(void)
{
    for (u32 v = 0; v < 20; v++) {
        u32 h = (u32)stubs[v];
        idt[v] = (h & 0xFFFF) | (0x08ull << 16) | (0x8Eull << 40) | ((u64)(h >> 16) << 48);
    }
    struct dtr idtr = { sizeof idt - 1, (u32)idt };
    __asm__ volatile("lidt %0" : : "m"(idtr));

    /* The read-only page holds a pattern for cases that read it (written before paging and WP). */
    for (u32 i = 0; i < 4096; i++)
        ((volatile u8 *)RO_PAGE)[i] = (u8)(i * 7 + 3);

    /* Identity mapping: 4 MiB pages, except the 4 MiB holding the case pages with their rights. */
    for (u32 i = 0; i < 1024; i++)
        page_dir[i] = (i << 22) | 0x83;
    for (u32 i = 0; i < 1024; i++)
        page_table[i] = ((CODE_BASE & ~0x3FFFFFu) + (i << 12)) | 0x3;
    page_table[(RO_PAGE >> 12) & 0x3FF] &= ~2u;
    page_table[(NP_PAGE >> 12) & 0x3FF] = 0;
    page_dir[CODE_BASE >> 22] = (u32)page_table | 0x3;
    u32 cr4, cr0;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | 0x10));            /* PSE */
    __asm__ volatile("mov %0, %%cr3" : : "r"(page_dir));
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 = (cr0 | 0x80010020u | 0x2u) & ~0xCu;                           /* PG, WP, NE, MP; not EM, TS */
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
}

static void load_gdt(void)
{
    memcpy(gdt, gdt_template, sizeof gdt);
    u32 g = (u32)gate_target;
    gdt[10] = (g & 0xFFFF) | (0x08ull << 16) | (0x8Cull << 40) | ((u64)(g >> 16) << 48);
    struct dtr gdtr = { sizeof gdt - 1, (u32)gdt };
    __asm__ volatile("lgdt %0\n\t"
                     "ljmp $0x08, $1f\n"
                     "1:\tmovl $0x10, %%eax\n\t"
                     "movl %%eax, %%ds\n\tmovl %%eax, %%es\n\tmovl %%eax, %%fs\n\tmovl %%eax, %%gs\n\tmovl %%eax, %%ss\n\t"
                     "xorl %%eax, %%eax\n\tlldt %%ax" /* no LDT: selectors with TI set fault */
                     : : "m"(gdtr) : "eax", "memory");
}

static void put_bytes(const u8 *p, u32 n)
{
    static const char digits[] = "0123456789abcdef";
    for (u32 i = 0; i < n; i++) {
        putc(digits[p[i] >> 4]);
        putc(digits[p[i] & 15]);
    }
}

static void put_word(u32 v)
{
    static const char digits[] = "0123456789abcdef";
    putc(' ');
    for (int i = 28; i >= 0; i -= 4)
        putc(digits[(v >> i) & 0xF]);
}

u32 kmain(u32 magic, const struct mb_info *mbi)
{
    serial_init();
    if (magic != 0x2BADB002 || !(mbi->flags & 8) || mbi->mods_count < 1) {
        puts("conform: no case module\n");
        return 2;
    }
    const struct mb_module *mod = (const struct mb_module *)mbi->mods_addr;
    const u32 *hdr = (const u32 *)mod->start;
    if (hdr[0] != CASE_MAGIC) {
        puts("conform: bad case module\n");
        return 2;
    }
    u32 count = hdr[1];
    if (mod->end > MODULE_LIMIT) {
        puts("conform: case module too large\n");
        return 2;
    }
    const struct conform_case *cases = (const struct conform_case *)(mod->start + 16);
    setup_cpu();
    for (u32 i = 0; i < count; i++) {
        const struct conform_case *c = &cases[i];
        load_gdt();
        memcpy((void *)DATA_BASE, c->data, DATA_BYTES);
        memset((void *)(DATA_BASE + DATA_BYTES), 0, 4096 - DATA_BYTES); /* nothing a previous case wrote is visible */
        memcpy((void *)CODE_BASE, c->code, c->code_len);
        *(volatile u32 *)DONE_SLOT = (u32)case_done; /* restored: a wild case write must not end every later case */
        __asm__ volatile("mov %0, %%cr2" : : "r"(0));
        __asm__ volatile("fninit");
        if (c->flags & 1)
            __asm__ volatile("frstor %0" : : "m"(*(const u8 (*)[108])c->fpu));
        run_case(c);
        putc('C');
        put_word(i);
        put_word(result.vector);
        put_word(result.error);
        put_word(result.eip);
        for (int r = 0; r < 8; r++)
            put_word(result.regs[r]);
        put_word(result.eflags);
        put_word(result.cr2);
        for (int s = 0; s < 5; s++)
            put_word(result.seg[s] & 0xFFFF);
        putc(' ');
        put_bytes((const u8 *)DATA_BASE, DATA_BYTES);
        if (c->flags & 1) {
            putc(' ');
            put_bytes(result.fpu, 108);
        }
        putc('\n');
    }
    puts("END\n");
    return 0;
}
