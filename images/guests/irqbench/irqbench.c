/* The interrupt-heavy benchmark guest: the PIT at 10 kHz through the 8259, an IRQ0 handler
 * that acknowledges each tick, and a compute loop that runs until 20000 ticks have passed. */
#include "../common/guest.h"

extern void irq0_entry(void);
static u64 idt[48] __attribute__((aligned(8)));
volatile u32 ticks;

void irq0_handler(void)
{
    ticks++;
    outb(0x20, 0x20);
}

__asm__(".globl irq0_entry\n"
        "irq0_entry:\n\tpushal\n\tcall irq0_handler\n\tpopal\n\tiretl");

u32 kmain(u32 magic, void *mbi)
{
    (void)magic;
    (void)mbi;
    serial_init();
    u16 cs;
    __asm__ volatile("movw %%cs, %0" : "=r"(cs));
    u32 off = (u32)irq0_entry;
    idt[0x20] = (u64)(off & 0xFFFF) | ((u64)cs << 16) | ((u64)0x8E << 40) | ((u64)(off >> 16) << 48);
    struct { u16 limit; u32 base; } __attribute__((packed)) idtr = { sizeof(idt) - 1, (u32)idt };
    __asm__ volatile("lidt %0" : : "m"(idtr));
    outb(0x20, 0x11); outb(0x21, 0x20); outb(0x21, 0x04); outb(0x21, 0x01);
    outb(0xA0, 0x11); outb(0xA1, 0x28); outb(0xA1, 0x02); outb(0xA1, 0x01);
    outb(0x21, 0xFE); outb(0xA1, 0xFF);
    outb(0x43, 0x34);
    outb(0x40, 119);    /* 1193182 / 119 = 10026 Hz */
    outb(0x40, 0);
    puts("irqbench: start\n");
    __asm__ volatile("sti");
    u32 h = 1, iterations = 0;
    while (ticks < 20000) {
        for (int i = 0; i < 100; i++)
            h = h * 1103515245u + 12345u;
        iterations++;
    }
    __asm__ volatile("cli");
    print_kv("irqbench ticks", ticks);
    puts("timing: irqbench iterations ");
    put_dec(iterations);
    putc('\n');
    return h == 0; /* keeps the loop */
}
