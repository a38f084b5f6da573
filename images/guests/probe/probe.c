/* Probes the devices MINIX's drivers look for beyond the console, as those drivers do: COM2
 * (scratch register, then a byte through the UART's loopback mode), the PS/2 mouse behind the
 * i8042's auxiliary port (reset, identify), and the floppy controller's version. */
#include "../common/guest.h"

#define COM2 0x2F8

static int kbc_wait_out(void)
{
    for (int i = 0; i < 100000; i++)
        if (inb(0x64) & 0x01)
            return 1;
    return 0;
}

static void kbc_wait_in(void)
{
    for (int i = 0; i < 100000 && (inb(0x64) & 0x02); i++)
        ;
}

static void to_mouse(u8 v)
{
    kbc_wait_in();
    outb(0x64, 0xD4);
    kbc_wait_in();
    outb(0x60, v);
}

static void print_reply(const char *what, int n)
{
    puts(what);
    for (int i = 0; i < n; i++) {
        if (!kbc_wait_out()) {
            puts(" (timeout)");
            break;
        }
        u8 st = inb(0x64);
        u8 b = inb(0x60);
        static const char hex[] = "0123456789ABCDEF";
        putc(' ');
        putc(hex[b >> 4]);
        putc(hex[b & 15]);
        if (!(st & 0x20))
            puts("(not aux)");
    }
    putc('\n');
}

u32 kmain(u32 magic, void *mbi)
{
    (void)magic;
    (void)mbi;
    serial_init();
    outb(COM2 + 7, 0x5A);
    puts(inb(COM2 + 7) == 0x5A ? "com2: scratch register ok\n" : "com2: absent\n");
    outb(COM2 + 3, 0x80);                     /* DLAB: 9600 baud */
    outb(COM2 + 0, 12);
    outb(COM2 + 1, 0);
    outb(COM2 + 3, 0x03);
    outb(COM2 + 4, 0x10);                     /* loopback */
    outb(COM2 + 0, 0xA5);
    u8 got = 0;
    for (int i = 0; i < 100000; i++)
        if (inb(COM2 + 5) & 0x01) {
            got = inb(COM2 + 0);
            break;
        }
    puts(got == 0xA5 ? "com2: loopback ok\n" : "com2: loopback failed\n");

    while (inb(0x64) & 0x01)
        inb(0x60);                            /* drain */
    outb(0x64, 0xA8);                         /* enable the aux port */
    to_mouse(0xFF);
    print_reply("mouse: reset", 3);
    to_mouse(0xF2);
    print_reply("mouse: identify", 2);
    return 0;
}
