/* The MINIX318-model kernel allocators, shaped as the user describes MINIX318's:
 *  - a page allocator (page_alloc/page_free) under kmem_alloc_wired/kmem_free;
 *  - zones (zinit/zalloc/zfree/zget) under kalloc/kfree/kget, with kmem_alloc_wired for large
 *    sizes and when a zone runs dry;
 *  - a bootstrap allocator (boot_kalloc/boot_kfree + boot_malloc/boot_realloc/boot_free) with
 *    its own free list (kfree_list), spinlocks and kget_space, which calls vm_map;
 *  - the coremap allocator malloc(struct map *, size) / mfree(struct map *, size, addr).
 * Every function is noinline and keeps its frame pointer, so the tracer can hook it by symbol
 * and walk the stack. The workload is deterministic. */
#include "kernel.h"

/* ---- pages ------------------------------------------------------------------------------- */
#define PAGE_POOL_BASE 0x01000000u   /* 16 MiB: frames handed out from here */
#define PAGE_POOL_PAGES 2048
static u8 page_used[PAGE_POOL_PAGES];

NOINLINE u32 page_alloc(u32 npages)
{
    for (u32 i = 0; i + npages <= PAGE_POOL_PAGES; i++) {
        u32 j = 0;
        while (j < npages && !page_used[i + j])
            j++;
        if (j == npages) {
            for (j = 0; j < npages; j++)
                page_used[i + j] = 1;
            return PAGE_POOL_BASE + i * PAGE_SIZE;
        }
    }
    return 0;
}

NOINLINE void page_free(u32 addr, u32 npages)
{
    u32 first = (addr - PAGE_POOL_BASE) / PAGE_SIZE;
    for (u32 j = 0; j < npages; j++)
        page_used[first + j] = 0;
}

NOINLINE void *kmem_alloc_wired(u32 size)
{
    u32 pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
    return (void *)page_alloc(pages);
}

NOINLINE void kmem_free(void *addr, u32 size)
{
    page_free((u32)addr, (size + PAGE_SIZE - 1) / PAGE_SIZE);
}

/* ---- zones ------------------------------------------------------------------------------- */
struct zone {
    u32 elem_size;
    u32 max_elems;
    u32 count;
    void *free_list;
    const char *name;
};

#define NZONES 6
static struct zone zones[NZONES];
static const u32 zone_sizes[NZONES] = { 16, 32, 64, 128, 256, 512 };

NOINLINE struct zone *zinit(u32 size, u32 max, const char *name)
{
    for (int i = 0; i < NZONES; i++) {
        if (zones[i].elem_size == 0) {
            zones[i].elem_size = size;
            zones[i].max_elems = max;
            zones[i].name = name;
            return &zones[i];
        }
    }
    return 0;
}

/* Refill a zone with one page of elements from the VM system. */
NOINLINE static void zone_grow(struct zone *z)
{
    u8 *page = kmem_alloc_wired(PAGE_SIZE);
    for (u32 off = 0; off + z->elem_size <= PAGE_SIZE; off += z->elem_size) {
        *(void **)(page + off) = z->free_list;
        z->free_list = page + off;
    }
}

NOINLINE void *zget(struct zone *z)
{
    void *e = z->free_list;
    if (e) {
        z->free_list = *(void **)e;
        z->count++;
    }
    return e;
}

NOINLINE void *zalloc(struct zone *z)
{
    if (!z->free_list) {
        if (z->count >= z->max_elems)
            return 0;
        zone_grow(z);
    }
    return zget(z);
}

NOINLINE void zfree(struct zone *z, void *elem)
{
    *(void **)elem = z->free_list;
    z->free_list = elem;
    z->count--;
}

void kalloc_init(void)
{
    static const char *names[NZONES] = { "kalloc.16", "kalloc.32", "kalloc.64", "kalloc.128", "kalloc.256", "kalloc.512" };
    for (int i = 0; i < NZONES; i++)
        zinit(zone_sizes[i], 64, names[i]);
}

static struct zone *zone_for(u32 size)
{
    for (int i = 0; i < NZONES; i++)
        if (size <= zones[i].elem_size)
            return &zones[i];
    return 0;
}

/* kalloc: a zone for small sizes; kmem_alloc_wired for large ones or when the zone is full. */
NOINLINE void *kalloc(u32 size)
{
    struct zone *z = zone_for(size);
    if (z) {
        void *p = zalloc(z);
        if (p)
            return p;
    }
    return kmem_alloc_wired(size);
}

NOINLINE void kfree(void *p, u32 size)
{
    struct zone *z = zone_for(size);
    if (z && (u32)p >= PAGE_POOL_BASE) {
        /* Only zone elements live in zone pages; large blocks are whole pages. */
        if (size <= 512) {
            zfree(z, p);
            return;
        }
    }
    kmem_free(p, size);
}

/* kget: never blocks, never grows a zone. */
NOINLINE void *kget(u32 size)
{
    struct zone *z = zone_for(size);
    return z ? zget(z) : 0;
}

/* ---- the bootstrap allocator ------------------------------------------------------------- */
struct spinlock { volatile u32 locked; const char *name; };
static struct spinlock kalloc_lock;

NOINLINE void spin_lock_init(struct spinlock *l, const char *name) { l->locked = 0; l->name = name; }
NOINLINE void spin_lock(struct spinlock *l) { while (__sync_lock_test_and_set(&l->locked, 1)) ; }
NOINLINE void spin_unlock(struct spinlock *l) { __sync_lock_release(&l->locked); }

struct boot_block { u32 size; struct boot_block *next; };
static struct boot_block *kfree_list;
static u32 kspace_next = 0x00800000u, kspace_end = 0x00A00000u;

/* The VM system's map call: here it only reserves address space (the identity map covers it). */
NOINLINE u32 vm_map(u32 size)
{
    u32 a = kspace_next;
    if (a + size > kspace_end)
        return 0;
    kspace_next += size;
    return a;
}

NOINLINE void *kget_space(u32 size)
{
    return (void *)vm_map((size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
}

NOINLINE void *boot_kalloc(u32 size)
{
    size = (size + 7) & ~7u;
    spin_lock(&kalloc_lock);
    struct boot_block **pp = &kfree_list;
    while (*pp) {
        if ((*pp)->size >= size) {
            struct boot_block *b = *pp;
            *pp = b->next;
            spin_unlock(&kalloc_lock);
            return (u8 *)b + 8;
        }
        pp = &(*pp)->next;
    }
    spin_unlock(&kalloc_lock);
    struct boot_block *b = kget_space(size + 8);
    b->size = size;
    return (u8 *)b + 8;
}

NOINLINE void boot_kfree(void *p)
{
    struct boot_block *b = (struct boot_block *)((u8 *)p - 8);
    spin_lock(&kalloc_lock);
    b->next = kfree_list;
    kfree_list = b;
    spin_unlock(&kalloc_lock);
}

NOINLINE void *boot_malloc(u32 size) { return boot_kalloc(size); }
NOINLINE void boot_free(void *p) { if (p) boot_kfree(p); }
NOINLINE void *boot_realloc(void *p, u32 size)
{
    void *n = boot_kalloc(size);
    if (p) {
        u32 old = ((struct boot_block *)((u8 *)p - 8))->size;
        memcpy(n, p, old < size ? old : size);
        boot_kfree(p);
    }
    return n;
}

void boot_alloc_init(void) { spin_lock_init(&kalloc_lock, "kalloc"); }

/* Grows or shrinks a kalloc block: a new block, the contents copied, the old block freed. */
NOINLINE void *krealloc(void *p, u32 old, u32 size)
{
    u8 *n = kalloc(size);
    if (n == 0)
        return 0;
    u32 keep = old < size ? old : size;
    for (u32 i = 0; i < keep; i++)
        n[i] = ((u8 *)p)[i];
    kfree(p, old);
    return n;
}

/* ---- the coremap allocator --------------------------------------------------------------- */
#ifndef NO_COREMAP
struct mapent { u32 size; u32 addr; };
struct map { struct mapent ent[16]; const char *name; };
struct map coremap;

void coremap_init(u32 base, u32 size)
{
    coremap.ent[0].addr = base;
    coremap.ent[0].size = size;
    coremap.name = "coremap";
}

/* First fit over the map's free segments (the classic UNIX rmalloc). */
NOINLINE u32 malloc(struct map *mp, u32 size)
{
    for (struct mapent *e = mp->ent; e->size; e++) {
        if (e->size >= size) {
            u32 a = e->addr;
            e->addr += size;
            e->size -= size;
            if (e->size == 0) {
                do {
                    e[0] = e[1];
                    e++;
                } while (e[-1].size);
            }
            return a;
        }
    }
    return 0;
}

NOINLINE void mfree(struct map *mp, u32 size, u32 addr)
{
    struct mapent *e = mp->ent;
    while (e->size && e->addr <= addr)
        e++;
    if (e > mp->ent && e[-1].addr + e[-1].size == addr) {
        e[-1].size += size;
        if (e->size && addr + size == e->addr) {
            e[-1].size += e->size;
            do { e[0] = e[1]; e++; } while (e[-1].size);
        }
        return;
    }
    if (e->size && addr + size == e->addr) {
        e->addr = addr;
        e->size += size;
        return;
    }
    struct mapent t = { size, addr };
    do { struct mapent n = *e; *e = t; t = n; e++; } while (t.size);
    *e = t;
}
#endif /* NO_COREMAP */
