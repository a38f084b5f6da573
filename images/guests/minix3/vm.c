/* The VM server, as stock MINIX 3 has it (a user-space server): physical memory handed out in
 * clicks by alloc_mem/free_mem, small kernel-side structures from a slab allocator
 * (slaballoc/slabfree) over whole pages from alloc_mem, and libc's malloc for its own buffers.
 * The pool is memory the server got with sbrk, standing in for the physical memory it owns. */
#include "minix3.h"

#define CLICK 4096u
#define POOL_CLICKS 64
static u8 *pool;
static u8 used[POOL_CLICKS];

NOINLINE u32 alloc_mem(u32 clicks, u32 flags)
{
    (void)flags;
    for (u32 i = 0; i + clicks <= POOL_CLICKS; i++) {
        u32 j = 0;
        while (j < clicks && !used[i + j])
            j++;
        if (j == clicks) {
            for (j = 0; j < clicks; j++)
                used[i + j] = 1;
            return ((u32)pool / CLICK) + i;   /* a click number, as MINIX's phys_clicks */
        }
    }
    return 0;
}

NOINLINE void free_mem(u32 base, u32 clicks)
{
    u32 first = base - (u32)pool / CLICK;
    for (u32 j = 0; j < clicks; j++)
        used[first + j] = 0;
}

/* Slabs: one page per size class (rounded up to 16 bytes), elements on a free list. */
#define SLAB_CLASSES 16
struct slab { u8 *next_free; u32 elem; };
static struct slab slabs[SLAB_CLASSES];

NOINLINE void *slaballoc(u32 bytes)
{
    u32 cls = (bytes + 15) / 16 - 1;
    struct slab *s = &slabs[cls];
    if (s->next_free == 0) {
        u8 *page = (u8 *)(alloc_mem(1, 0) * CLICK);
        s->elem = (cls + 1) * 16;
        for (u32 off = 0; off + s->elem <= CLICK; off += s->elem) {
            *(u8 **)(page + off) = s->next_free;
            s->next_free = page + off;
        }
    }
    u8 *e = s->next_free;
    s->next_free = *(u8 **)e;
    return e;
}

NOINLINE void slabfree(void *mem, u32 bytes)
{
    struct slab *s = &slabs[(bytes + 15) / 16 - 1];
    *(u8 **)mem = s->next_free;
    s->next_free = mem;
}

struct vir_region { u32 vaddr, len; void *phys; };

int main(void)
{
    pool = sbrk((int)(POOL_CLICKS * CLICK + CLICK));
    pool = (u8 *)(((u32)pool + CLICK - 1) & ~(CLICK - 1));
    struct vir_region *regions[6];
    for (int i = 0; i < 6; i++) {
        regions[i] = slaballoc(sizeof(struct vir_region));      /* 12 bytes: the 16-byte class */
        regions[i]->phys = (void *)alloc_mem(1 + (u32)i % 3, 0); /* 1, 2, 3 clicks */
    }
    for (int i = 0; i < 6; i += 2) {
        free_mem((u32)regions[i]->phys, 1 + (u32)i % 3);
        slabfree(regions[i], sizeof(struct vir_region));
    }
    void *pt = slaballoc(100);                                  /* the 112-byte class: a second slab page */
    slabfree(pt, 100);
    char *buf = malloc(200);                                    /* VM links libc too */
    free(buf);
    write_str("vm: ok\n");
    return 0;
}
