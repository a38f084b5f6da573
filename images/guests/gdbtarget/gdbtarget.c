/* The debugger's target: built with -g -O0 so gdb can break on functions, print globals and
 * locals, step and next by line, and watch a global. After its work it spins until the
 * debugger sets `release` (the Ctrl-C test), then exits. */
#include "../common/guest.h"

volatile u32 counter;
volatile u32 release;
u32 results[4];

u32 sum_to(u32 n)
{
    u32 total = 0;
    for (u32 i = 1; i <= n; i++) {
        total += i;
        counter++;
    }
    return total;
}

u32 kmain(u32 magic, void *mbi)
{
    (void)mbi;
    serial_init();
    puts("gdbtarget: start\n");
    u32 grand = 0;
    for (u32 round = 0; round < 3; round++) {
        results[round] = sum_to(10 + round);
        grand += results[round];
    }
    print_kv("gdbtarget result", grand);
    while (!release)
        counter++;
    puts("gdbtarget: released\n");
    return magic == 0x2BADB002 ? 0 : 1;
}
