/* The root-level wrappers: malloc/free/realloc over kalloc/kfree/krealloc. kfree and krealloc
 * need the size, so each block carries it in an 8-byte header. (They share the name malloc with
 * the coremap allocator, so they live in their own kernel image, as in MINIX318.) */
#include "kernel.h"

struct rhdr { u32 size; u32 pad; };

NOINLINE void *malloc(u32 size)
{
    struct rhdr *h = kalloc(size + sizeof(struct rhdr));
    if (h == 0)
        return 0;
    h->size = size;
    return h + 1;
}

NOINLINE void free(void *p)
{
    if (p == 0)
        return;
    struct rhdr *h = (struct rhdr *)p - 1;
    kfree(h, h->size + sizeof(struct rhdr));
}

NOINLINE void *realloc(void *p, u32 size)
{
    if (p == 0)
        return malloc(size);
    struct rhdr *h = (struct rhdr *)p - 1;
    h = krealloc(h, h->size + sizeof(struct rhdr), size + sizeof(struct rhdr));
    if (h == 0)
        return 0;
    h->size = size;
    return h + 1;
}
