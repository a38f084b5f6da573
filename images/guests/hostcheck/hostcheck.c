/* Runs the cpucheck workload natively on the host processor (an i386 Linux static program
 * with no libc) and prints the same lines as the selfcheck guest: the reference values. */
#include "../cpucheck/cpucheck.h"

static int sys_write(int fd, const void *buf, unsigned int n)
{
    int r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(4), "b"(fd), "c"(buf), "d"(n) : "memory");
    return r;
}

static void out(const char *s)
{
    unsigned int n = 0;
    while (s[n])
        n++;
    sys_write(1, s, n);
}

static void emit(const char *name, unsigned int v)
{
    static const char digits[] = "0123456789abcdef";
    char hex[12] = "0x";
    for (int i = 0; i < 8; i++)
        hex[2 + i] = digits[(v >> (28 - 4 * i)) & 0xF];
    hex[10] = '\n';
    hex[11] = 0;
    out("cpucheck ");
    out(name);
    out(": ");
    out(hex);
}

void _start(void)
{
    cpucheck_run(emit);
    __asm__ volatile("int $0x80" : : "a"(1), "b"(0));
    for (;;)
        ;
}
