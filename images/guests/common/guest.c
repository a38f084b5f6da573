#include "guest.h"

#define COM1 0x3F8
#define EXIT_PORT 0xF4

void serial_init(void)
{
    outb(COM1 + 1, 0x00);   /* no interrupts */
    outb(COM1 + 3, 0x80);   /* DLAB */
    outb(COM1 + 0, 0x01);   /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);   /* 8N1 */
    outb(COM1 + 2, 0xC7);   /* FIFOs on, cleared, 14-byte threshold */
    outb(COM1 + 4, 0x03);   /* DTR, RTS */
}

void putc(char c)
{
    if (c == '\n')
        putc('\r');
    while ((inb(COM1 + 5) & 0x20) == 0)
        ;
    outb(COM1, (u8)c);
}

void puts(const char *s)
{
    while (*s)
        putc(*s++);
}

void put_hex(u32 v)
{
    static const char digits[] = "0123456789abcdef";
    puts("0x");
    for (int i = 28; i >= 0; i -= 4)
        putc(digits[(v >> i) & 0xF]);
}

void put_dec(u32 v)
{
    char buf[12];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        putc(buf[--n]);
}

void print_kv(const char *name, u32 value)
{
    puts(name);
    puts(": ");
    put_hex(value);
    putc('\n');
}

void guest_exit(u32 code)
{
    outl(EXIT_PORT, code);
    for (;;)
        __asm__ volatile("cli; hlt");
}

void *memset(void *d, int c, u32 n)
{
    u8 *p = d;
    while (n--)
        *p++ = (u8)c;
    return d;
}

void *memcpy(void *d, const void *s, u32 n)
{
    u8 *p = d;
    const u8 *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}
