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
extern void run_case_outer(const struct conform_case *c, u32 mode);
extern void run_case_real(void);
extern void case_done(void);
extern const u8 rt16_start[], rt16_stubs[], rt16_end[];
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
    0,                     /* 0x68: the first selector beyond the 32-bit cases' table */
    0x0000FA010000FFFFull, /* 0x70 SEL_CS16: 16-bit code, DPL 3, base CODE16 */
    0x0040FA010000FFFFull, /* 0x78 SEL_CS32: 32-bit code, DPL 3, base CODE16 */
    0x0000F2020000FFFFull, /* 0x80 SEL_DS16: data, DPL 3, base DATA16 */
    0x0000F2030000FFFFull, /* 0x88 SEL_SS16: stack, DPL 3, base STACK16, B = 0 */
    0x0040F2030000FFFFull, /* 0x90 SEL_SS32: stack, DPL 3, base STACK16, B = 1 */
    0x00009E010000FFFFull, /* 0x98 SEL_CS16_CONF: 16-bit conforming code, DPL 0 */
    0,                     /* 0xA0 SEL_GATE16, filled in at run time */
    0,                     /* 0xA8 SEL_GATE32, filled in at run time */
    0x0000F0020000FFFFull, /* 0xB0 SEL_DS16_RO: read-only data, DPL 3 */
    0x000092020000FFFFull, /* 0xB8 SEL_DS16_DPL0: data, DPL 0 */
    0x000072020000FFFFull, /* 0xC0 SEL_DS16_NP: data, DPL 3, not present */
    0,                     /* 0xC8 SEL_TSS, filled in at run time */
    0x00009A008000FFFFull, /* 0xD0 SEL_RT_CODE16: 16-bit code, base RT16 */
    0x000092000000FFFFull, /* 0xD8 SEL_RT_DATA16: 16-bit data, base 0, limit FFFF */
};
static u64 gdt[sizeof gdt_template / sizeof gdt_template[0]];
static u64 idt[32];
/* The TSS only supplies the ring-0 stack CPL 3 cases leave to (its I/O bitmap is beyond the limit: no port is allowed). */
static struct { u32 link, esp0, ss0, unused[22]; u16 trap, iomap; } tss;
static u8 ring0_stack[8192] __attribute__((aligned(16)));
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
    idt[3] |= 3ull << 45; /* DPL 3: the INT3 that ends a CPL 3 case */
    struct dtr idtr = { sizeof idt - 1, (u32)idt };
    __asm__ volatile("lidt %0" : : "m"(idtr));

    /* The read-only page holds a pattern for cases that read it (written before paging and WP). */
    for (u32 i = 0; i < 4096; i++)
        ((volatile u8 *)RO_PAGE)[i] = (u8)(i * 7 + 3);

    /* Identity mapping: 4 MiB pages, except the 4 MiB holding the case pages with their rights. */
    for (u32 i = 0; i < 1024; i++)
        page_dir[i] = (i << 22) | 0x83;
    page_dir[0] |= 4; /* user: the 16-bit cases' first megabyte, for CPL 3 */
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

/* 32-bit cases see the table up to 0x67 (their FirstBeyondLimit selector 0x68 is beyond it); 16-bit cases all of it. */
#define GDT_LIMIT_PM32 (13 * 8 - 1)

static void load_gdt(u32 limit)
{
    memcpy(gdt, gdt_template, sizeof gdt);
    u32 g = (u32)gate_target;
    gdt[10] = (g & 0xFFFF) | (0x08ull << 16) | (0x8Cull << 40) | ((u64)(g >> 16) << 48);
    gdt[SEL_GATE16 >> 3] = LANDING16 | ((u64)(SEL_CS16 | 3) << 16) | (0xE4ull << 40);
    gdt[SEL_GATE32 >> 3] = LANDING16 | ((u64)(SEL_CS32 | 3) << 16) | (0xECull << 40);
    u32 t = (u32)&tss, tl = sizeof tss - 1;
    gdt[SEL_TSS >> 3] = (tl & 0xFFFF) | ((u64)(t & 0xFFFFFF) << 16) | (0x89ull << 40) | ((u64)(t >> 24) << 56);
    struct dtr gdtr = { (u16)limit, (u32)gdt };
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

/* The real-mode runtime and its interrupt vector table: every vector at its stub. */
static void setup_real_mode(void)
{
    memcpy((void *)RT16, rt16_start, (u32)(rt16_end - rt16_start));
    u32 stubs = (u32)(rt16_stubs - rt16_start);
    for (u32 v = 0; v < 256; v++)
        ((volatile u32 *)IVT16)[v] = ((u32)RT16_SEG << 16) | (stubs + 9 * v);
    memset((void *)CODE16, 0xCC, 0x10000); /* a stray transfer lands on INT3 */
    tss.esp0 = (u32)ring0_stack + sizeof ring0_stack;
    tss.ss0 = 0x10;
    tss.iomap = sizeof tss;
}

/* The real-mode runtime's save area after a real-mode case: into 'result'. */
void real_case_result(void)
{
    const volatile struct rm_state *s = (const volatile struct rm_state *)(RT16 + RM_SAVE);
    for (int r = 0; r < 8; r++)
        result.regs[r] = s->regs[r];
    result.eflags = s->eflags;
    result.error = 0;
    result.seg[0] = s->ds;
    result.seg[1] = s->es;
    result.seg[2] = s->fs;
    result.seg[3] = s->gs;
    result.seg[4] = s->ss;
    result.seg[5] = s->cs;
    if (s->vector == 3 && s->cs == CODE16 >> 4 && s->ip == DONE_OFF + 1) {
        result.vector = 0xFFFFFFFF;
        result.eip = 0;
    } else {
        result.vector = s->vector;
        result.eip = s->ip;
    }
}

/* A 16-bit case: its pages below 1 MiB, then the mode's entry. */
static void run_case16(const struct conform_case *c, u32 mode)
{
    const u16 *sregs = (const u16 *)c->fpu; /* ds es fs gs ss */
    /* Only what a case can reach is restored (the generator keeps SP in 0800-0E00 or at the wrap, data
     * accesses in the first bytes): these byte loops are most of a 16-bit case's run time. */
    memset((void *)CODE16, 0xCC, sizeof c->code);
    memcpy((void *)CODE16, c->code, c->code_len);
    memset((void *)DATA16, 0, 256);
    memcpy((void *)DATA16, c->data, DATA_BYTES);
    memset((void *)(STACK16 + 0x0600), 0, 0x0A00);
    memset((void *)(STACK16 + 0xFF00), 0, 0x0100);
    if (mode == MODE_REAL) {
        volatile struct rm_state *s = (volatile struct rm_state *)(RT16 + RM_SAVE);
        for (int r = 0; r < 8; r++)
            s->regs[r] = c->regs[r];
        s->eflags = c->eflags;
        s->ds = sregs[0];
        s->es = sregs[1];
        s->fs = sregs[2];
        s->gs = sregs[3];
        s->ss = sregs[4];
        s->vector = 0; /* the stubs write its low byte */
        run_case_real();
    } else {
        run_case_outer(c, mode);
    }
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
    setup_real_mode(); /* low memory is free now: the boot information was read above */
    load_gdt(sizeof gdt - 1);
    __asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
    struct dtr idtr = { sizeof idt - 1, (u32)idt };
    for (u32 i = 0; i < count; i++) {
        const struct conform_case *c = &cases[i];
        u32 mode = (c->flags >> MODE_SHIFT) & 3;
        load_gdt(mode == MODE_PM32 ? GDT_LIMIT_PM32 : sizeof gdt - 1);
        __asm__ volatile("lidt %0" : : "m"(idtr)); /* a real-mode case ran with IVT16 */
        __asm__ volatile("mov %0, %%cr2" : : "r"(0));
        __asm__ volatile("fninit");
        if (mode != MODE_PM32) {
            run_case16(c, mode);
        } else {
            memcpy((void *)DATA_BASE, c->data, DATA_BYTES);
            memset((void *)(DATA_BASE + DATA_BYTES), 0, 4096 - DATA_BYTES); /* nothing a previous case wrote is visible */
            memcpy((void *)CODE_BASE, c->code, c->code_len);
            *(volatile u32 *)DONE_SLOT = (u32)case_done; /* restored: a wild case write must not end every later case */
            if (c->flags & 1)
                __asm__ volatile("frstor %0" : : "m"(*(const u8 (*)[108])c->fpu));
            run_case(c);
        }
        putc('C');
        put_word(i);
        put_word(result.vector);
        put_word(result.error);
        put_word(result.eip);
        for (int r = 0; r < 8; r++)
            put_word(result.regs[r]);
        put_word(result.eflags);
        put_word(result.cr2);
        for (int s = 0; s < 6; s++)
            put_word(result.seg[s] & 0xFFFF);
        putc(' ');
        put_bytes((const u8 *)(mode != MODE_PM32 ? DATA16 : DATA_BASE), DATA_BYTES);
        if (c->flags & 1) {
            putc(' ');
            put_bytes(result.fpu, 108);
        }
        putc('\n');
    }
    puts("END\n");
    return 0;
}
