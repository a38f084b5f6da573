/* User program B: page-aligned buffers, a realloc chain and a double free. */
#include "user.h"

int main(void)
{
    void *page = valloc(2000);
    char *s = malloc(20);
    for (int i = 1; i <= 3; i++)
        s = realloc(s, 20 + 100 * i);             /* 120, 220, 320 */
    free(s);
    void *twice = malloc(40);
    free(twice);
    free(twice);                                   /* the double free */
    free(page);
    void *keep = malloc(700);                      /* never freed */
    (void)keep;
    write_str("prog_b: ok\n");
    return 0;
}
