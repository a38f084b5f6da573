/* The stock-MINIX-3 model's user-side runtime: libc's malloc family over brk/sbrk, mmap and
 * munmap through the model kernel's system calls. */
#ifndef MINIX3_MODEL_H
#define MINIX3_MODEL_H
#include "../minix318/user.h"

int brk(void *addr);
void *minix_mmap(void *addr, u32 len, int prot, int flags, int fd, u32 offset);
int minix_munmap(void *addr, u32 len);
#endif
