/* A UCB-style allocator over sbrk, in the shape of 4.2BSD's (Chris Kingsley's) malloc: power of
 * two buckets from 8 bytes up, each block preceded by a header holding a magic byte and its
 * bucket index; morecore(bucket) takes a page from sbrk and carves it into blocks of that bucket.
 * Freed blocks go back to their bucket's list; realloc keeps the block when the new size fits
 * the same bucket. Named malloc/free/realloc, as in the program that links it. */
#include "user.h"

#define MAGIC 0xEF
#define NBUCKETS 20

union overhead {
    union overhead *next;                     /* when free: the bucket's next block */
    struct { u8 magic; u8 index; } used;      /* when allocated */
    u32 align[2];                             /* 8 bytes: blocks stay 8-byte aligned */
};

static union overhead *nextf[NBUCKETS];

/* One page (or more, for big buckets) from sbrk, split into blocks of bucket 'bucket'. */
NOINLINE void morecore(int bucket)
{
    u32 sz = 1u << (bucket + 3);
    u32 amt = sz < 4096 ? 4096 : sz;
    union overhead *op = sbrk((int)amt);
    if ((int)op == -1)
        return;
    u32 n = amt / sz;
    nextf[bucket] = op;
    while (--n > 0) {
        op->next = (union overhead *)((u8 *)op + sz);
        op = op->next;
    }
    op->next = 0;
}

NOINLINE void *malloc(u32 nbytes)
{
    int bucket = 0;
    u32 need = nbytes + sizeof(union overhead);
    while ((1u << (bucket + 3)) < need)
        bucket++;
    if (bucket >= NBUCKETS)
        return 0;
    if (nextf[bucket] == 0)
        morecore(bucket);
    union overhead *op = nextf[bucket];
    if (op == 0)
        return 0;
    nextf[bucket] = op->next;
    op->used.magic = MAGIC;
    op->used.index = (u8)bucket;
    return op + 1;
}

NOINLINE void free(void *cp)
{
    if (cp == 0)
        return;
    union overhead *op = (union overhead *)cp - 1;
    if (op->used.magic != MAGIC)
        return;                               /* not ours, or freed already: ignored, as 4.2BSD did */
    int bucket = op->used.index;
    op->next = nextf[bucket];
    nextf[bucket] = op;
}

NOINLINE void *realloc(void *cp, u32 nbytes)
{
    if (cp == 0)
        return malloc(nbytes);
    union overhead *op = (union overhead *)cp - 1;
    u32 have = (1u << (op->used.index + 3)) - sizeof(union overhead);
    if (nbytes <= have && nbytes > have / 2)
        return cp;                            /* still the right bucket */
    u8 *np = malloc(nbytes);
    if (np == 0)
        return 0;
    u32 n = nbytes < have ? nbytes : have;
    for (u32 i = 0; i < n; i++)
        np[i] = ((u8 *)cp)[i];
    free(cp);
    return np;
}
