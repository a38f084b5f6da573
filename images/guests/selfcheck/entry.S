/* Interrupt stubs, the ring-3 entry/exit helpers, the SYSENTER entry and the call-gate entry
 * of the selfcheck guest. Every stub builds the same frame: pushad, vector, error code. */
    .text

.macro ISR_NOERR n
    .globl isr\n
isr\n:
    pushl $0
    pushl $\n
    jmp isr_common
.endm
.macro ISR_ERR n
    .globl isr\n
isr\n:
    pushl $\n
    jmp isr_common
.endm

ISR_NOERR 0
ISR_NOERR 1
ISR_NOERR 2
ISR_NOERR 3
ISR_NOERR 4
ISR_NOERR 5
ISR_NOERR 6
ISR_NOERR 7
ISR_ERR 8
ISR_NOERR 9
ISR_ERR 10
ISR_ERR 11
ISR_ERR 12
ISR_ERR 13
ISR_ERR 14
ISR_NOERR 16
ISR_ERR 17
ISR_NOERR 128

/* Frame on entry to isr_common: [vector][error][eip][cs][eflags]([esp][ss] from ring 3). */
isr_common:
    pushal
    movw %ds, %ax
    pushl %eax
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    pushl %esp              /* struct frame * */
    call isr_dispatch
    addl $4, %esp
    popl %eax
    movw %ax, %ds
    movw %ax, %es
    popal
    addl $8, %esp           /* vector and error code */
    iretl

/* void enter_user(u32 eip, u32 esp): iret to ring 3; returns when user code calls syscall 0. */
    .globl enter_user
enter_user:
    pushl %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl %esp, saved_kernel_esp
    movl 20(%esp), %eax     /* user eip */
    movl 24(%esp), %ecx     /* user esp */
    movw $0x23, %dx
    movw %dx, %ds
    movw %dx, %es
    pushl $0x23             /* ss */
    pushl %ecx              /* esp */
    pushl $0x002            /* eflags: IF=0, so no firmware-programmed timer can interrupt (QEMU has one) */
    pushl $0x1B             /* cs */
    pushl %eax              /* eip */
    iretl

/* Called from the syscall-0 handler at ring 0: abandon the interrupt frame and return from enter_user. */
    .globl resume_kernel
resume_kernel:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movl saved_kernel_esp, %esp
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret

/* SYSENTER lands here at CPL 0 with ESP = SYSENTER_ESP; ECX/EDX carry the user ESP/EIP. */
    .globl sysenter_entry
sysenter_entry:
    pushl %ecx
    pushl %edx
    pushl %eax
    call sysenter_handler
    addl $4, %esp
    popl %edx
    popl %ecx
    sysexit

/* The call gate's target: CPL 0 on the ring-0 stack, one parameter copied from the user stack. */
    .globl callgate_entry
callgate_entry:
    movl 8(%esp), %eax      /* the parameter, above EIP and CS */
    movw %cs, %cx
    pushl %ecx
    pushl %eax
    call callgate_handler
    addl $8, %esp
    lret $4

    .data
    .globl saved_kernel_esp
saved_kernel_esp:
    .long 0
