/* The user programs' runtime: crt0, system calls through INT 0x80 (1 exit, 2 sbrk, 3 write). */
#include "user.h"

int main(void);

static int syscall3(int n, u32 a, u32 b)
{
    int r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b) : "memory");
    return r;
}

NOINLINE void *sbrk(int incr) { return (void *)syscall3(2, (u32)incr, 0); }

void write_str(const char *s)
{
    u32 n = 0;
    while (s[n])
        n++;
    syscall3(3, (u32)s, n);
}

void write_hex(u32 v)
{
    char b[11] = "0x";
    for (int i = 0; i < 8; i++)
        b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
    b[10] = 0;
    write_str(b);
}

void exit(int status)
{
    syscall3(1, (u32)status, 0);
    for (;;)
        ;
}

__asm__(".globl _start\n_start:\n\txorl %ebp, %ebp\n\tcall main\n\tpushl %eax\n\tcall exit\n");
