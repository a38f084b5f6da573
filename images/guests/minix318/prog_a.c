/* User program A: a deterministic mix of small and large allocations. */
#include "user.h"

int main(void)
{
    void *small[10];
    for (int i = 0; i < 10; i++)
        small[i] = malloc(8 + 6 * i);             /* 8..62: the three holding-block classes */
    for (int i = 0; i < 10; i += 3)
        free(small[i]);                           /* 0, 3, 6, 9 freed; the rest leak */
    char *big = malloc(5000);
    big = realloc(big, 9000);
    int *table = calloc(100, 4);
    void *aligned = memalign(256, 100);
    free(table);
    free(big);
    free(aligned);
    write_str("prog_a: ok ");
    write_hex((u32)small[1] >> 28);
    write_str("\n");
    return 0;
}
