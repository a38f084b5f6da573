/* The MINIX318-model kernel: sets up protection and paging, exercises the kernel allocators
 * from IPC, VM and driver paths, then runs each boot module as a ring-3 program with its own
 * page directory (all linked at the same virtual addresses), serving sbrk, write and exit. */
#include "kernel.h"

struct mb_module { u32 start, end, string, reserved; };
struct mb_info { u32 flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr; };

static u64 gdt[6] __attribute__((aligned(8)));
static u64 idt[256] __attribute__((aligned(8)));
static u32 tss[26];
static u8 kstack[8192] __attribute__((aligned(16)));
static u32 kernel_pd[1024] __attribute__((aligned(4096)));
u32 saved_esp; /* used by enter_user (assembly) */

extern void syscall_entry(void);
extern void enter_user(u32 eip, u32 esp, u32 cr3);

/* ---- callers of the kernel allocators, named after MINIX318's ---------------------------- */
struct kmsg { u32 size; u8 body[]; };

NOINLINE struct kmsg *ipc_kmsg_copyin(const void *msg, u32 size)
{
    struct kmsg *k = kalloc(size + sizeof(struct kmsg));
    k->size = size;
    memcpy(k->body, msg, size);
    return k;
}

NOINLINE void ipc_kmsg_free(struct kmsg *k) { kfree(k, k->size + sizeof(struct kmsg)); }

/* Returns the page-table page for va in pd, allocating it (zeroed) if asked. */
NOINLINE u32 *walkpgdir(u32 *pd, u32 va, int alloc)
{
    u32 *pde = &pd[va >> 22];
    if (*pde & 1)
        return (u32 *)(*pde & ~0xFFFu);
    if (!alloc)
        return 0;
    u32 *pt = kalloc(PAGE_SIZE);
    memset(pt, 0, PAGE_SIZE);
    *pde = (u32)pt | 7;
    return pt;
}

static void map_page(u32 *pd, u32 va, u32 pa, u32 flags)
{
    u32 *pt = walkpgdir(pd, va, 1);
    pt[(va >> 12) & 1023] = pa | flags | 1;
}

/* A new address space: the kernel's first 32 MiB mapped for the kernel only. */
NOINLINE u32 *setupkvm(void)
{
    u32 *pd = kalloc(PAGE_SIZE);
    memset(pd, 0, PAGE_SIZE);
    for (u32 i = 0; i < 8; i++)
        pd[i] = kernel_pd[i];
    return pd;
}

struct iopb { u32 nports; u8 bitmap[]; };

NOINLINE struct iopb *iopb_create(u32 nports)
{
    struct iopb *b = kalloc(sizeof(struct iopb) + nports / 8);
    b->nports = nports;
    memset(b->bitmap, 0xFF, nports / 8);
    return b;
}

/* ---- processes ------------------------------------------------------------------------------ */
struct proc {
    u32 *pd;
    u32 brk;        /* current program break */
    u32 heap_top;   /* end of the mapped heap */
    u32 mmap_next;  /* where the next anonymous mapping goes */
    const char *name;
};
static struct proc *current;

static u32 load_elf(struct proc *p, const u8 *image)
{
    u32 entry = *(const u32 *)(image + 24);
    u32 phoff = *(const u32 *)(image + 28);
    u16 phnum = *(const u16 *)(image + 44);
    u32 end = 0;
    for (u32 i = 0; i < phnum; i++) {
        const u32 *ph = (const u32 *)(image + phoff + i * 32);
        if (ph[0] != 1)
            continue;
        u32 va = ph[2], filesz = ph[4], memsz = ph[5], off = ph[1];
        for (u32 page = va & ~0xFFFu; page < va + memsz; page += PAGE_SIZE) {
            u32 frame = (u32)kmem_alloc_wired(PAGE_SIZE);
            memset((void *)frame, 0, PAGE_SIZE);
            for (u32 a = page; a < page + PAGE_SIZE; a++)
                if (a >= va && a < va + filesz)
                    ((u8 *)frame)[a - page] = image[off + (a - va)];
            map_page(p->pd, page, frame, 6);
        }
        if (va + memsz > end)
            end = va + memsz;
    }
    p->brk = p->heap_top = (end + PAGE_SIZE - 1) & ~0xFFFu;
    p->mmap_next = 0x40000000u;
    return entry;
}

static u32 sys_sbrk(s32 incr)
{
    u32 old = current->brk;
    u32 want = old + incr;
    while (current->heap_top < want) {
        u32 frame = (u32)kmem_alloc_wired(PAGE_SIZE);
        memset((void *)frame, 0, PAGE_SIZE);
        map_page(current->pd, current->heap_top, frame, 6);
        current->heap_top += PAGE_SIZE;
    }
    current->brk = want;
    return old;
}

/* Anonymous mappings, bump-allocated upward from 1 GiB: zeroed frames from kmem_alloc_wired. */
static u32 sys_mmap(u32 len)
{
    u32 va = current->mmap_next;
    len = (len + PAGE_SIZE - 1) & ~0xFFFu;
    for (u32 off = 0; off < len; off += PAGE_SIZE) {
        u32 frame = (u32)kmem_alloc_wired(PAGE_SIZE);
        memset((void *)frame, 0, PAGE_SIZE);
        map_page(current->pd, va + off, frame, 6);
    }
    current->mmap_next = va + len;
    return va;
}

static u32 sys_munmap(u32 va, u32 len)
{
    for (u32 off = 0; off < len; off += PAGE_SIZE) {
        u32 *pt = walkpgdir(current->pd, va + off, 0);
        if (pt == 0 || !(pt[((va + off) >> 12) & 1023] & 1))
            continue;
        kmem_free((void *)(pt[((va + off) >> 12) & 1023] & ~0xFFFu), PAGE_SIZE);
        pt[((va + off) >> 12) & 1023] = 0;
        __asm__ volatile("invlpg (%0)" : : "r"(va + off) : "memory");
    }
    return 0;
}

struct regs { u32 edi, esi, ebp, esp, ebx, edx, ecx, eax; };

void syscall_dispatch(struct regs *r)
{
    switch (r->eax) {
    case 1: /* exit(status) */
        puts(current->name);
        puts(": exit ");
        put_dec(r->ebx);
        putc('\n');
        __asm__ volatile("movl %0, %%cr3" : : "r"(kernel_pd));
        __asm__ volatile("movl %0, %%esp\n\tpopl %%ebp\n\tpopl %%edi\n\tpopl %%esi\n\tpopl %%ebx\n\tret" : : "r"(saved_esp));
        break;
    case 2: /* sbrk(incr) */
        r->eax = sys_sbrk((s32)r->ebx);
        break;
    case 3: /* write(buf, len) */
        for (u32 i = 0; i < r->ecx; i++)
            putc(((const char *)r->ebx)[i]);
        r->eax = r->ecx;
        break;
    case 4: /* mmap(len): anonymous, read/write */
        r->eax = sys_mmap(r->ebx);
        break;
    case 5: /* munmap(addr, len) */
        r->eax = sys_munmap(r->ebx, r->ecx);
        break;
    default:
        r->eax = (u32)-1;
    }
}

__asm__(".globl syscall_entry\n"
        "syscall_entry:\n\tpushal\n\tpushl %esp\n\tcall syscall_dispatch\n\taddl $4, %esp\n\tpopal\n\tiretl\n"
        ".globl enter_user\n"
        "enter_user:\n\tpushl %ebx\n\tpushl %esi\n\tpushl %edi\n\tpushl %ebp\n\tmovl %esp, saved_esp\n"
        "\tmovl 20(%esp), %eax\n\tmovl 24(%esp), %ecx\n\tmovl 28(%esp), %edx\n\tmovl %edx, %cr3\n"
        "\tmovw $0x23, %dx\n\tmovw %dx, %ds\n\tmovw %dx, %es\n"
        "\tpushl $0x23\n\tpushl %ecx\n\tpushl $0x002\n\tpushl $0x1b\n\tpushl %eax\n\tiretl\n");

/* A program's name: its module's file name without directories or extension (kept in a small table). */
static const char *module_name(const char *cmdline)
{
    static char names[8][16];
    static u32 used;
    const char *base = cmdline ? cmdline : "prog";
    for (const char *c = base; *c && *c != ' '; c++)
        if (*c == '/')
            base = c + 1;
    char *n = names[used++ & 7];
    u32 i = 0;
    while (base[i] && base[i] != ' ' && base[i] != '.' && i < 15) {
        n[i] = base[i];
        i++;
    }
    n[i] = 0;
    return n;
}

static void run_program(const char *name, const u8 *image)
{
    struct proc *p = kalloc(sizeof(struct proc));
    p->pd = setupkvm();
    p->name = name;
    u32 entry = load_elf(p, image);
    u32 stack = (u32)kmem_alloc_wired(2 * PAGE_SIZE);
    map_page(p->pd, 0xBFFFE000u, stack, 6);
    map_page(p->pd, 0xBFFFF000u, stack + PAGE_SIZE, 6);
    current = p;
    enter_user(entry, 0xC0000000u - 16, (u32)p->pd);
    __asm__ volatile("movw $0x10, %%ax\n\tmovw %%ax, %%ds\n\tmovw %%ax, %%es" ::: "eax");
}

static void tables(void)
{
    gdt[1] = 0x00CF9A000000FFFFull;
    gdt[2] = 0x00CF92000000FFFFull;
    gdt[3] = 0x00CFFA000000FFFFull;
    gdt[4] = 0x00CFF2000000FFFFull;
    u32 t = (u32)tss;
    gdt[5] = (sizeof(tss) - 1) | ((u64)(t & 0xFFFFFF) << 16) | (0x89ull << 40) | ((u64)(t >> 24) << 56);
    struct { u16 l; u32 b; } __attribute__((packed)) g = { sizeof(gdt) - 1, (u32)gdt }, i = { sizeof(idt) - 1, (u32)idt };
    __asm__ volatile("lgdt %0\n\tljmp $0x08, $1f\n1:\n\tmovw $0x10, %%ax\n\tmovw %%ax, %%ds\n\tmovw %%ax, %%es\n\tmovw %%ax, %%ss"
                     : : "m"(g) : "eax", "memory");
    u32 off = (u32)syscall_entry;
    idt[0x80] = (off & 0xFFFF) | (0x08ull << 16) | (0xEEull << 40) | ((u64)(off >> 16) << 48);
    __asm__ volatile("lidt %0" : : "m"(i));
    tss[1] = (u32)(kstack + sizeof(kstack));
    tss[2] = 0x10;
    __asm__ volatile("ltr %w0" : : "r"(0x28));
    for (u32 i2 = 0; i2 < 8; i2++)
        kernel_pd[i2] = (i2 << 22) | 0x83; /* 4 MiB kernel pages, supervisor only */
    __asm__ volatile("movl %%cr4, %%eax\n\torl $0x10, %%eax\n\tmovl %%eax, %%cr4\n\t"
                     "movl %0, %%cr3\n\tmovl %%cr0, %%eax\n\torl $0x80000000, %%eax\n\tmovl %%eax, %%cr0"
                     : : "r"(kernel_pd) : "eax", "memory");
}

/* The kernel's own allocation workload: fixed, so the trace is exact. */
static void kernel_workload(void)
{
    static const char hello[] = "hello from user space, via IPC";
    struct kmsg *msgs[8];
    for (int i = 0; i < 8; i++)
        msgs[i] = ipc_kmsg_copyin(hello, 8 + i * 20);       /* sizes 12..152: zones 16..256 */
    for (int i = 0; i < 8; i += 2)
        ipc_kmsg_free(msgs[i]);                              /* odd ones stay: 4 leaks */
    struct iopb *io = iopb_create(65536);                    /* 8 KiB + 4: kmem_alloc_wired */
    kfree(io, sizeof(struct iopb) + 65536 / 8);
    void *quick = kget(24);                                  /* a 32-byte element, never freed */
    (void)quick;

    /* Bootstrap allocations: the first ones take space from kget_space/vm_map, later ones reuse kfree_list. */
    void *b[5];
    for (int i = 0; i < 5; i++)
        b[i] = boot_malloc(100 + 50 * i);
    boot_free(b[1]);
    boot_free(b[3]);
    void *r = boot_realloc(b[0], 300);                       /* no free block of 304 bytes: a sixth kget_space */
    boot_free(r);
    boot_free(b[2]);
    boot_free(b[4]);

    /* The coremap. */
    coremap_init(0x00C00000u, 0x00100000u);
    u32 c1 = malloc(&coremap, 0x4000);
    u32 c2 = malloc(&coremap, 0x2000);
    u32 c3 = malloc(&coremap, 0x1000);
    mfree(&coremap, 0x2000, c2);
    mfree(&coremap, 0x4000, c1);
    (void)c3;                                                /* never freed */
}

u32 kmain(u32 magic, struct mb_info *mbi)
{
    serial_init();
    puts("minix318 model: boot\n");
    if (magic != 0x2BADB002)
        return 1;
    tables();
    kalloc_init();
    boot_alloc_init();
    kernel_workload();
    puts("minix318 model: kernel workload done\n");
    struct mb_module *mods = (struct mb_module *)mbi->mods_addr;
    for (u32 i = 0; i < mbi->mods_count && i < 8; i++)
        run_program(module_name((const char *)mods[i].string), (const u8 *)mods[i].start);
    /* A free through the wrong family, last of all: a zone element handed to the bootstrap allocator. */
    boot_kfree(kalloc(40));
    puts("minix318 model: done\n");
    return 0;
}
