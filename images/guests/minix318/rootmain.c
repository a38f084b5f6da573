/* The root-level-wrapper model kernel: the kernel allocators without the coremap, and callers
 * of the root-level malloc/free/realloc (a buffer cache and a name table). Deterministic. */
#include "kernel.h"

void *malloc(u32 size);
void free(void *p);
void *realloc(void *p, u32 size);

NOINLINE void **bufcache_init(void)
{
    void **bufs = malloc(4 * sizeof(void *));
    for (int i = 0; i < 4; i++)
        bufs[i] = malloc(512);
    return bufs;
}

NOINLINE char *names_grow(char *names, u32 size) { return realloc(names, size); }

u32 kmain(u32 magic, void *mbi)
{
    (void)mbi;
    serial_init();
    if (magic != 0x2BADB002)
        return 1;
    kalloc_init();
    void **bufs = bufcache_init();              /* 1 + 4 mallocs */
    free(bufs[3]);
    char *names = names_grow(0, 64);            /* realloc of nothing: a malloc */
    names = names_grow(names, 3000);            /* krealloc: kalloc, copy, kfree */
    free(names);
    puts("minix318root model: done\n");
    return 0;                                   /* bufs and bufs[0..2] leak */
}
