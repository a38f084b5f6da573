#ifndef MINIX318_USER_H
#define MINIX318_USER_H
typedef unsigned int u32;
typedef unsigned char u8;
#define NOINLINE __attribute__((noinline))

void *sbrk(int incr);
void write_str(const char *s);
void write_hex(u32 v);
void exit(int status) __attribute__((noreturn));
void *malloc(u32 size);
void free(void *p);
void *realloc(void *p, u32 size);
void *calloc(u32 n, u32 size);
void *memalign(u32 align, u32 size);
void *valloc(u32 size);
#endif
