/* A multiboot kernel linked at 0x8000 that checks what GRUB and QEMU leave a kernel, the way
 * teaching kernels (xv6) rely on it:
 *  - the entry state: CS = 0x08, DS = ES = FS = GS = SS = 0x10, protected mode without paging,
 *    interrupts off;
 *  - the multiboot information, command line, module list, memory map and boot-loader name
 *    all outside the kernel's own image;
 *  - its own GDT loaded without reloading CS (xv6's seginit), then an interrupt taken and
 *    returned from: the IRET reloads CS from what the interrupt pushed, the loader's selector;
 *  - the MP floating pointer found in the MP specification's order (section 4): the first KiB
 *    of the EBDA (segment at 0x40E), else the last KiB of base memory (KiB at 0x413), then the
 *    BIOS ROM at 0xF0000.
 * Its stack and IDT sit outside the image (0x70000, 0x60000); the image stays under 4 KiB.
 * Lines starting "board:" are the firmware's own choices. */
#include "../common/guest.h"

#define IDT_ADDR 0x60000u

__asm__(".section .multiboot, \"a\"\n\t.align 4\n\t.long 0x1BADB002, 0x00000003, -(0x1BADB002 + 0x00000003)\n"
        ".text\n.globl _start\n_start:\n"
        "\tmovw %cs, entry_sel + 0\n\tmovw %ds, entry_sel + 2\n\tmovw %es, entry_sel + 4\n"
        "\tmovw %fs, entry_sel + 6\n\tmovw %gs, entry_sel + 8\n\tmovw %ss, entry_sel + 10\n"
        "\tmovl $0x70000, %esp\n"            /* ESP is undefined at entry (Multiboot 3.2) */
        "\tpushfl\n\tpopl entry_eflags\n\tmovl %cr0, %ecx\n\tmovl %ecx, entry_cr0\n"
        "\tpushl %ebx\n\tpushl %eax\n\tcall kmain\n\tpushl %eax\n\tcall guest_exit\n");

u16 entry_sel[6];
u32 entry_eflags, entry_cr0;
volatile u32 swi_count;
extern char __image_start[], __image_end[];
extern void swi_isr(void), fault_isr(void);
__asm__(".globl swi_isr\nswi_isr:\n\tincl swi_count\n\tiretl\n"
        ".globl fault_isr\nfault_isr:\n\tpushl $0xFA\n\tcall guest_exit\n");

static const u64 gdt[3] = { 0, 0x00CF9A000000FFFFull, 0x00CF92000000FFFFull }; /* 0x08 code, 0x10 data */

static int outside_image(u32 a, u32 len)
{
    return a + len <= (u32)__image_start || a >= (u32)__image_end;
}

static int sum_ok(const u8 *p, u32 n)
{
    u8 s = 0;
    for (u32 i = 0; i < n; i++)
        s += p[i];
    return s == 0;
}

static const u8 *mp_scan(u32 a, u32 len)
{
    for (u32 p = a; p + 16 <= a + len; p += 16) {
        const u8 *q = (const u8 *)p;
        if (q[0] == '_' && q[1] == 'M' && q[2] == 'P' && q[3] == '_' && sum_ok(q, 16))
            return q;
    }
    return 0;
}

static void check_mbi(const u32 *mbi)
{
    int ok = outside_image((u32)mbi, 88);
    u32 flags = mbi[0];
    if (flags & (1u << 2))
        ok &= outside_image(mbi[4], 1);
    if (flags & (1u << 3))
        ok &= outside_image(mbi[6], mbi[5] * 16);
    if (flags & (1u << 6))
        ok &= outside_image(mbi[12], mbi[11]);
    if (flags & (1u << 9))
        ok &= outside_image(mbi[16], 1);
    puts(ok ? "mbi: outside the kernel image\n" : "mbi: overlaps the kernel image\n");
    puts((flags & 0x245) == 0x245 ? "mbi: memory, command line, memory map and loader name present\n" : "mbi: flags missing\n");
    print_kv("mbi: mem_lower", mbi[1]);
}

u32 kmain(u32 magic, const u32 *mbi)
{
    serial_init();
    print_kv("entry: magic", magic);
    print_kv("entry: cs", entry_sel[0]);
    print_kv("entry: ds", entry_sel[1]);
    print_kv("entry: es", entry_sel[2]);
    print_kv("entry: fs", entry_sel[3]);
    print_kv("entry: gs", entry_sel[4]);
    print_kv("entry: ss", entry_sel[5]);
    puts(entry_eflags & 0x200 ? "entry: interrupts on\n" : "entry: interrupts off\n");
    puts(entry_eflags & 0x20000 ? "entry: virtual-8086 mode\n" : "entry: not virtual-8086\n");
    puts((entry_cr0 & 0x80000001u) == 1 ? "entry: protected mode, no paging\n" : "entry: CR0 unexpected\n");
    check_mbi(mbi);

    /* xv6's seginit: a new GDT with code at 0x08 and data at 0x10, data segments reloaded, CS not. */
    struct { u16 l; u32 b; } __attribute__((packed)) gdtr = { sizeof gdt - 1, (u32)gdt }, idtr = { 49 * 8 - 1, IDT_ADDR };
    __asm__ volatile("lgdt %0\n\tmovw $0x10, %%ax\n\tmovw %%ax, %%ds\n\tmovw %%ax, %%es\n\tmovw %%ax, %%ss\n\t"
                     "movw %%ax, %%fs\n\tmovw %%ax, %%gs" : : "m"(gdtr) : "eax", "memory");
    u64 *idt = (u64 *)IDT_ADDR;
    for (int v = 0; v < 49; v++) {
        u32 h = v == 48 ? (u32)swi_isr : (u32)fault_isr;
        idt[v] = (h & 0xFFFF) | (0x08ull << 16) | (0x8Eull << 40) | ((u64)(h >> 16) << 48);
    }
    __asm__ volatile("lidt %0\n\tint $48\n\tint $48" : : "m"(idtr) : "memory");
    print_kv("int: taken and returned through the kernel's own GDT", swi_count);

    /* MP specification 1.4 section 4: the EBDA's first KiB, else the last KiB of base memory, then the BIOS ROM. */
    u16 ebda_seg, base_kb16;
    __asm__ volatile("movw 0x40E, %0\n\tmovw 0x413, %1" : "=r"(ebda_seg), "=r"(base_kb16)); /* gcc rejects constant pointers into page 0 */
    u32 ebda = (u32)ebda_seg << 4, base_kb = base_kb16;
    print_kv("board: EBDA", ebda);
    print_kv("board: base memory KiB", base_kb);
    const u8 *fp;
    const char *where;
    if (ebda) {
        fp = mp_scan(ebda, 1024);
        where = "the EBDA";
    } else {
        fp = base_kb ? mp_scan(base_kb * 1024 - 1024, 1024) : 0;
        where = "the last KiB of base memory";
    }
    if (!fp) {
        fp = mp_scan(0xF0000, 0x10000);
        where = "the BIOS ROM";
    }
    puts(ebda >= 0x80000 && ebda < 0xA0000 ? "mp: EBDA segment plausible\n" : "mp: no EBDA segment\n");
    puts(base_kb >= 512 && base_kb <= 640 ? "mp: base memory plausible\n" : "mp: no base memory size\n");
    if (!fp) {
        puts("mp: no floating pointer\n");
        return 1;
    }
    puts("mp: floating pointer in ");
    puts(where);
    puts("\n");
    const u8 *ct = (const u8 *)*(const u32 *)(fp + 4);
    puts(ct[0] == 'P' && ct[1] == 'C' && ct[2] == 'M' && ct[3] == 'P' && sum_ok(ct, *(const u16 *)(ct + 4))
             ? "mp: configuration table checksum ok\n" : "mp: configuration table bad\n");
    return 0;
}
