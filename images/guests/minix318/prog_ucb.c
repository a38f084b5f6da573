/* User program prog_ucb: links the UCB-style allocator instead of libmalloc, at the same addresses as
 * the other programs. */
#include "user.h"

int main(void)
{
    void *a = malloc(20);          /* bucket 2 (32 bytes): morecore(2) */
    void *b = malloc(24);          /* same bucket, no morecore */
    void *c = malloc(100);         /* bucket 4 (128 bytes): morecore(4) */
    free(b);
    b = realloc(a, 22);            /* fits the same bucket: kept */
    c = realloc(c, 300);           /* bucket 6 (512 bytes): moved, morecore(6) */
    free(c);
    free(c);                       /* a double free (the allocator ignores it) */
    void *big = malloc(5000);      /* bucket 10 (8 KiB): morecore(10) takes 8 KiB */
    free(big);
    write_str("prog_ucb: ok\n");
    return b == a ? 0 : 1;         /* a (as b) and nothing else is still allocated: one leak */
}
