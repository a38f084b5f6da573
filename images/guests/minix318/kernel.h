#ifndef MINIX318_KERNEL_H
#define MINIX318_KERNEL_H
#include "../common/guest.h"

#define NOINLINE __attribute__((noinline))
#define PAGE_SIZE 4096u

struct zone;
struct map;
extern struct map coremap;

u32 page_alloc(u32 npages);
void page_free(u32 addr, u32 npages);
void *kmem_alloc_wired(u32 size);
void kmem_free(void *addr, u32 size);
void kalloc_init(void);
void *kalloc(u32 size);
void kfree(void *p, u32 size);
void *kget(u32 size);
void boot_alloc_init(void);
void *boot_kalloc(u32 size);
void boot_kfree(void *p);
void *boot_malloc(u32 size);
void *boot_realloc(void *p, u32 size);
void boot_free(void *p);
void *krealloc(void *p, u32 old, u32 size);
#ifndef NO_COREMAP
void coremap_init(u32 base, u32 size);
u32 malloc(struct map *mp, u32 size);
void mfree(struct map *mp, u32 size, u32 addr);
#endif

#endif
