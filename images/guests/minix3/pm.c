/* The process manager, as a libc user: process table entries from malloc/calloc, a growing
 * argument buffer through realloc, and an exec image buffer big enough for mmap. */
#include "minix3.h"

struct mproc { u32 pid, parent, flags, pad; };

int main(void)
{
    struct mproc *table = calloc(8, sizeof(struct mproc));     /* 128 bytes */
    char *args = malloc(64);
    args = realloc(args, 1000);                                 /* moves: malloc + free inside */
    u8 *image = malloc(100000);                                 /* over the threshold: mmap */
    image[99999] = 1;
    free(image);                                                /* munmap */
    free(args);
    (void)table;                                                /* kept: the table lives as long as PM */
    write_str("pm: ok\n");
    return 0;
}
