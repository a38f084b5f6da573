/* IRQ stubs for the devices guest: vectors 0x20-0x2F call irq_dispatch(irq) with all registers saved. */
    .text
.macro IRQ n
    .globl irq\n
irq\n:
    pushal
    pushl $\n
    call irq_dispatch
    addl $4, %esp
    popal
    iretl
.endm
IRQ 0
IRQ 1
IRQ 2
IRQ 3
IRQ 4
IRQ 5
IRQ 6
IRQ 7
IRQ 8
IRQ 9
IRQ 10
IRQ 11
IRQ 12
IRQ 13
IRQ 14
IRQ 15

    .globl fault_stub
fault_stub:
    cli
    movl $0x66, %eax
    outl %eax, $0xf4
1:  hlt
    jmp 1b
