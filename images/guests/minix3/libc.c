/* A libc malloc in the shape of MINIX 3's: every server links it; small blocks from a first-fit
 * free list over the heap the program grows with sbrk (itself brk over the break); requests of
 * 64 KiB and more get their own anonymous mapping (mmap) and are returned with munmap. */
#include "minix3.h"

#define MMAP_THRESHOLD 65536u
#define MAGIC_HEAP 0x4845u
#define MAGIC_MMAP 0x4D4Du

struct block { u32 size; u32 magic; struct block *next; u32 pad; }; /* 16 bytes */

static struct block *freelist;
static u8 *cur_brk;

static int sys(int n, u32 a, u32 b)
{
    int r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b) : "memory");
    return r;
}

NOINLINE int brk(void *addr)
{
    if (cur_brk == 0)
        cur_brk = (u8 *)sys(2, 0, 0);
    sys(2, (u32)((u8 *)addr - cur_brk), 0);
    cur_brk = addr;
    return 0;
}

NOINLINE void *sbrk(int incr)
{
    if (cur_brk == 0)
        cur_brk = (u8 *)sys(2, 0, 0);
    u8 *old = cur_brk;
    brk(old + incr);
    return old;
}

NOINLINE void *minix_mmap(void *addr, u32 len, int prot, int flags, int fd, u32 offset)
{
    (void)addr; (void)prot; (void)flags; (void)fd; (void)offset;
    return (void *)sys(4, len, 0);
}

NOINLINE int minix_munmap(void *addr, u32 len) { return sys(5, (u32)addr, len); }

NOINLINE void *malloc(u32 size)
{
    u32 need = (size + 15) & ~15u;
    if (need >= MMAP_THRESHOLD) {
        struct block *m = minix_mmap(0, need + sizeof(struct block), 3, 0x22, -1, 0);
        m->size = need;
        m->magic = MAGIC_MMAP;
        return m + 1;
    }
    for (struct block **pp = &freelist; *pp; pp = &(*pp)->next) {
        if ((*pp)->size >= need) {
            struct block *b = *pp;
            *pp = b->next;
            b->magic = MAGIC_HEAP;
            return b + 1;
        }
    }
    struct block *b = sbrk((int)(need + sizeof(struct block)));
    b->size = need;
    b->magic = MAGIC_HEAP;
    return b + 1;
}

NOINLINE void free(void *p)
{
    if (p == 0)
        return;
    struct block *b = (struct block *)p - 1;
    if (b->magic == MAGIC_MMAP) {
        b->magic = 0;
        minix_munmap(b, b->size + sizeof(struct block));
        return;
    }
    if (b->magic != MAGIC_HEAP)
        return;
    b->magic = 0;
    b->next = freelist;
    freelist = b;
}

NOINLINE void *realloc(void *p, u32 size)
{
    if (p == 0)
        return malloc(size);
    struct block *b = (struct block *)p - 1;
    if (b->size >= size)
        return p;
    u8 *n = malloc(size);
    for (u32 i = 0; i < b->size; i++)
        n[i] = ((u8 *)p)[i];
    free(p);
    return n;
}

NOINLINE void *calloc(u32 n, u32 size)
{
    u8 *p = malloc(n * size);
    for (u32 i = 0; i < n * size; i++)
        p[i] = 0;
    return p;
}

/* The runtime the model kernel expects: write, exit, and the entry point. */
void write_str(const char *s)
{
    u32 n = 0;
    while (s[n])
        n++;
    sys(3, (u32)s, n);
}

void exit(int status)
{
    sys(1, (u32)status, 0);
    for (;;)
        ;
}

int main(void);
__asm__(".globl _start\n_start:\n\txorl %ebp, %ebp\n\tcall main\n\tpushl %eax\n\tcall exit\n");
