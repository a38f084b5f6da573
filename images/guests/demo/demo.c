/* The bundled demo guest: greets on the serial console, reads the multiboot information,
 * runs a small deterministic workload and exits with status 0 through the exit device. */
#include "../common/guest.h"

struct mb_info {
    u32 flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    u32 syms[4];
    u32 mmap_length, mmap_addr;
    u32 drives_length, drives_addr, config_table, boot_loader_name;
};

static u32 fib(u32 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

u32 kmain(u32 magic, struct mb_info *mbi)
{
    serial_init();
    puts("minix318emu demo guest\n");
    if (magic != 0x2BADB002) {
        puts("bad multiboot magic\n");
        return 1;
    }
    puts("memory: ");
    put_dec(mbi->mem_lower);
    puts(" KiB low, ");
    put_dec(mbi->mem_upper);
    puts(" KiB high\n");
    puts("modules: ");
    put_dec(mbi->mods_count);
    putc('\n');
    u32 sum = 0;
    for (u32 i = 0; i < 20; i++)
        sum = sum * 31 + fib(i);
    print_kv("fib checksum", sum);
    puts("goodbye\n");
    return 0;
}
