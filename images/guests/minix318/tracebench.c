/* Tracing benchmark guests, built three times from this file: tracebench and tracesparse
 * (compute with a kalloc and kfree every 1000 or 10000 iterations: allocator calls are a small
 * share of the work) and allocbench (nothing but allocator calls: the tracer's event rate). */
#include "kernel.h"

#ifndef ALLOC_EVERY
#define ALLOC_EVERY 1000
#endif
#ifndef ROUNDS
#define ROUNDS 10000000
#endif

u32 kmain(u32 magic, void *mbi)
{
    (void)magic;
    (void)mbi;
    serial_init();
    kalloc_init();
    u32 h = 1;
    for (u32 i = 0; i < ROUNDS; i++) {
        h = h * 1103515245u + 12345u;
        if (i % ALLOC_EVERY == 0) {
            void *p = kalloc(16 + (h & 127));
            kfree(p, 16 + (h & 127));
        }
    }
    print_kv("tracebench", h);
    return 0;
}
