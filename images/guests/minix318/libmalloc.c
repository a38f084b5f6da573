/* A libmalloc in the shape the user describes: malloc/free/realloc/calloc/memalign/valloc,
 * mutex-protected, small requests served from holding blocks, the heap grown through sbrk by
 * morecore. Headers carry a magic so a double free is detected and ignored. */
#include "user.h"

#define MAGIC_USED 0xA110C8EDu
#define MAGIC_FREE 0xF4EEF4EEu
#define HOLDING_SIZE 1024u

struct hdr { u32 size; u32 magic; struct hdr *next; u32 pad; }; /* 16 bytes: keeps 16-byte alignment */

struct mutex { volatile u32 locked; };
static struct mutex heap_lock;
static struct hdr *free_list;            /* large blocks, first fit */
static struct hdr *small_free[3];        /* holding-block units of 16, 32 and 64 bytes */

NOINLINE void mutex_lock(struct mutex *m) { while (__sync_lock_test_and_set(&m->locked, 1)) ; }
NOINLINE void mutex_unlock(struct mutex *m) { __sync_lock_release(&m->locked); }

/* Grows the heap by at least nbytes, in whole pages. */
/* Not static: GCC may give static functions a register calling convention, and the profile
 * reads cdecl stack arguments. */
NOINLINE void *morecore(u32 nbytes)
{
    u32 n = (nbytes + 4095) & ~4095u;
    return sbrk((int)n);
}

static int small_class(u32 size) { return size <= 16 ? 0 : size <= 32 ? 1 : size <= 64 ? 2 : -1; }

/* Splits a new holding block into units of one small class. */
NOINLINE void new_holding_block(int cls)
{
    u32 unit = sizeof(struct hdr) + (16u << cls);
    u8 *blk = morecore(HOLDING_SIZE);
    for (u32 off = 0; off + unit <= HOLDING_SIZE; off += unit) {
        struct hdr *h = (struct hdr *)(blk + off);
        h->size = unit;
        h->magic = MAGIC_FREE;
        h->next = small_free[cls];
        small_free[cls] = h;
    }
}

static void *alloc_locked(u32 size)
{
    int cls = small_class(size);
    struct hdr *h;
    if (cls >= 0) {
        if (!small_free[cls])
            new_holding_block(cls);
        h = small_free[cls];
        small_free[cls] = h->next;
    } else {
        u32 need = (size + sizeof(struct hdr) + 15) & ~15u;
        struct hdr **pp = &free_list;
        while (*pp && (*pp)->size < need)
            pp = &(*pp)->next;
        if (*pp) {
            h = *pp;
            *pp = h->next;
        } else {
            h = morecore(need);
            h->size = (need + 4095) & ~4095u;
        }
    }
    h->magic = MAGIC_USED;
    h->next = 0;
    return h + 1;
}

static void free_locked(void *p)
{
    struct hdr *h = (struct hdr *)p - 1;
    if (h->magic != MAGIC_USED)
        return; /* a double free or a foreign pointer: ignored */
    h->magic = MAGIC_FREE;
    int cls = h->size <= sizeof(struct hdr) + 64 ? small_class(h->size - sizeof(struct hdr)) : -1;
    if (cls >= 0) {
        h->next = small_free[cls];
        small_free[cls] = h;
    } else {
        h->next = free_list;
        free_list = h;
    }
}

NOINLINE void *malloc(u32 size)
{
    mutex_lock(&heap_lock);
    void *p = alloc_locked(size);
    mutex_unlock(&heap_lock);
    return p;
}

NOINLINE void free(void *p)
{
    if (!p)
        return;
    mutex_lock(&heap_lock);
    free_locked(p);
    mutex_unlock(&heap_lock);
}

NOINLINE void *realloc(void *p, u32 size)
{
    void *n = malloc(size);
    if (p) {
        struct hdr *h = (struct hdr *)p - 1;
        u32 old = h->size - sizeof(struct hdr);
        u8 *d = n;
        const u8 *s = p;
        for (u32 i = 0; i < old && i < size; i++)
            d[i] = s[i];
        free(p);
    }
    return n;
}

NOINLINE void *calloc(u32 n, u32 size)
{
    u8 *p = malloc(n * size);
    for (u32 i = 0; i < n * size; i++)
        p[i] = 0;
    return p;
}

/* Over-allocates and places a header right before the aligned address. */
NOINLINE void *memalign(u32 align, u32 size)
{
    u8 *raw = malloc(size + align + sizeof(struct hdr));
    u32 a = ((u32)raw + sizeof(struct hdr) + align - 1) & ~(align - 1);
    struct hdr *h = (struct hdr *)a - 1;
    h->size = size + sizeof(struct hdr);
    h->magic = MAGIC_USED;
    return (void *)a;
}

NOINLINE void *valloc(u32 size) { return memalign(4096, size); }
