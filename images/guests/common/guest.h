/* The small runtime every guest kernel shares: port I/O, the COM1 console, the exit device. */
#ifndef GUEST_H
#define GUEST_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed int s32;

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void outl(u16 port, u32 v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }

void serial_init(void);
void putc(char c);
void puts(const char *s);
void put_hex(u32 v);
void put_dec(u32 v);
void print_kv(const char *name, u32 value); /* "name: 0x%08x\n" */
void guest_exit(u32 code) __attribute__((noreturn));
void *memset(void *d, int c, u32 n);
void *memcpy(void *d, const void *s, u32 n);

#endif
