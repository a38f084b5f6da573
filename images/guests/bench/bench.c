/* A compute-bound guest for the MIPS benchmark: integer ALU work, loads and stores,
 * calls and branches in a loop whose length is fixed, then exit. */
#include "../common/guest.h"

static u32 table[1024];

static __attribute__((noinline)) u32 mix(u32 a, u32 b) { return (a ^ (b << 5)) + (a >> 3) + b; }

u32 kmain(u32 magic, void *mbi)
{
    (void)magic;
    (void)mbi;
    serial_init();
    puts("bench: start\n");
    u32 h = 2166136261u;
    for (u32 round = 0; round < 4000; round++) {
        for (u32 i = 0; i < 1024; i++) {
            table[i] = mix(table[i] + i, h);
            h = (h ^ table[i]) * 16777619u;
        }
    }
    print_kv("bench checksum", h);
    return 0;
}
