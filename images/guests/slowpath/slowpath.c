/* Tight loops of the kind unit-test kernels time, for `bench`: the kernel command line names the
 * loop ("cpuid", "pmtimer", "pause", "cr", "cr2"); each runs a fixed number of iterations,
 * storing what it read in a global that lies on the same page as the loop's code (as a small
 * kernel's data follows its text), and exits with status 0x10 (exit code 33). Issue 14,
 * finding 8: such loops ran 50-90 times slower than plain code, because every store to a page
 * holding translated code threw the page's blocks away and the loop was decoded again on each
 * iteration. */
#include "../common/guest.h"

#define ITERATIONS 2000000u

volatile u32 result = 1; /* initialised data: right after the text, on the code's page */

struct mb_info { u32 flags, mem_lower, mem_upper, boot_device, cmdline; };

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static void loop_cpuid(void)
{
    for (u32 i = 0; i < ITERATIONS; i++) {
        u32 a = i & 1, b, c, d;
        __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
        result = d;
    }
}

static void loop_pmtimer(void)
{
    for (u32 i = 0; i < ITERATIONS; i++) {
        u32 t;
        __asm__ volatile("inl %w1, %0" : "=a"(t) : "Nd"(0x608));
        result = t;
    }
}

static void loop_pause(void)
{
    for (u32 i = 0; i < ITERATIONS; i++) {
        __asm__ volatile("pause");
        result = i;
    }
}

/* Reads CR0 and CR4 and writes them back unchanged (no mode change, no TLB flush due). */
static void loop_cr(void)
{
    for (u32 i = 0; i < ITERATIONS; i++) {
        u32 v;
        __asm__ volatile("mov %%cr0, %0\n\tmov %0, %%cr0\n\tmov %%cr4, %0\n\tmov %0, %%cr4" : "=r"(v));
        result = v;
    }
}

/* CR2 written and read back: no architectural side effect at all. */
static void loop_cr2(void)
{
    for (u32 i = 0; i < ITERATIONS; i++) {
        u32 v = i;
        __asm__ volatile("mov %0, %%cr2\n\tmov %%cr2, %0" : "+r"(v));
        result = v;
    }
}

u32 kmain(u32 magic, void *mbi)
{
    serial_init();
    if (((u32)&result >> 12) != ((u32)loop_cpuid >> 12) || ((u32)&result >> 12) != ((u32)loop_cr2 >> 12)) {
        puts("slowpath: the result variable is not on the loops' page\n");
        return 2;
    }
    const char *cmd = magic == 0x2BADB002 && (((struct mb_info *)mbi)->flags & 4) ? (const char *)((struct mb_info *)mbi)->cmdline : "";
    /* The loader's command line starts with the kernel's path: the loop is its last word. */
    const char *word = cmd;
    for (const char *p = cmd; *p; p++)
        if (*p == ' ')
            word = p + 1;
    if (streq(word, "cpuid"))
        loop_cpuid();
    else if (streq(word, "pmtimer"))
        loop_pmtimer();
    else if (streq(word, "pause"))
        loop_pause();
    else if (streq(word, "cr"))
        loop_cr();
    else if (streq(word, "cr2"))
        loop_cr2();
    else {
        puts("slowpath: name a loop: cpuid, pmtimer, pause, cr, cr2\n");
        return 1;
    }
    guest_exit(0x10);
}
