/* Multiboot v1 entry shared by the project's guest kernels.
 * Build: see ../build.sh (gcc -m32 -ffreestanding -fno-pie, ld -m elf_i386 -T common/linker.ld). */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003           /* page-align modules, memory info */

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .section .bss
    .align 16
boot_stack:
    .skip 16384
boot_stack_top:

    .section .text
    .globl _start
    .type _start, @function
_start:
    cli
    movl $boot_stack_top, %esp
    xorl %ebp, %ebp
    pushl %ebx                  /* multiboot info */
    pushl %eax                  /* bootloader magic */
    call kmain
    pushl %eax
    call guest_exit
1:  cli
    hlt
    jmp 1b
