/* Entering a case with its registers and flags, and capturing the machine state when it ends
 * (jmp [DONE_SLOT]) or faults (the IDT stubs below). The case's SS stays the flat data segment
 * (the generator never loads SS), so the capture code addresses memory through SS first. */
#include "conform.h"
    .data
    .globl saved_esp, in_case
saved_esp: .long 0
case_eflags: .long 0
in_case:   .long 0
code_ptr:  .long 0

/* Everything but ESP, into result.regs. */
    .macro save_gprs
    movl %eax, %ss:result+0
    movl %ecx, %ss:result+4
    movl %edx, %ss:result+8
    movl %ebx, %ss:result+12
    movl %ebp, %ss:result+20
    movl %esi, %ss:result+24
    movl %edi, %ss:result+28
    .endm

    .text
    .globl run_case
/* void run_case(const struct conform_case *c): returns after the case is captured into 'result'. */
run_case:
    pushl %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl %esp, saved_esp
    movl 20(%esp), %ebx
    movl $CODE_BASE, code_ptr
    movl $1, in_case
    movl 36(%ebx), %eax          /* eflags: set by the IRET below, so TF applies from the case's first instruction */
    movl %eax, case_eflags
    movl 4(%ebx), %eax
    movl 8(%ebx), %ecx
    movl 12(%ebx), %edx
    movl 20(%ebx), %esp
    movl 24(%ebx), %ebp
    movl 28(%ebx), %esi
    movl 32(%ebx), %edi
    movl 16(%ebx), %ebx
    pushl %cs:case_eflags        /* CS is flat: a read through it works whatever DS holds */
    pushl $0x08
    pushl %cs:code_ptr
    iret                         /* into the case (the frame lands just below the case's stack) */

    .globl case_done
case_done:
    save_gprs
    movl %esp, %ss:result+16
    pushfl
    popl %ss:result+32
    movl $0xFFFFFFFF, %ss:result+36
    movl $0, %ss:result+40
    movl $0, %ss:result+44
    jmp capture_common

/* Fault stubs: push a zero error code where the CPU pushes none, then the vector. */
    .macro stub v, has_error
    .globl fault_stub_\v
fault_stub_\v:
    .if \has_error == 0
    pushl $0
    .endif
    pushl $\v
    jmp fault_common
    .endm

    stub 0,0
    stub 1,0
    stub 2,0
    stub 3,0
    stub 4,0
    stub 5,0
    stub 6,0
    stub 7,0
    stub 8,1
    stub 9,0
    stub 10,1
    stub 11,1
    stub 12,1
    stub 13,1
    stub 14,1
    stub 15,0
    stub 16,0
    stub 17,1
    stub 18,0
    stub 19,0

fault_common:
    cmpl $0, %ss:in_case
    je harness_fault
    save_gprs
    popl %eax                      /* vector */
    movl %eax, %ss:result+36
    popl %eax                      /* error code */
    movl %eax, %ss:result+40
    popl %eax                      /* eip */
    subl $CODE_BASE, %eax
    movl %eax, %ss:result+44
    popl %eax                      /* cs */
    popl %eax                      /* eflags */
    movl %eax, %ss:result+32
    movl %esp, %ss:result+16       /* the case's ESP before the exception frame */

capture_common:
    movl $0, %ss:in_case
    ljmp $0x08, $1f                /* a far transfer may have left CS on another code segment */
1:
    movl %cr2, %eax
    movl %eax, %ss:result+48
    movw %ds, %ss:result+52
    movw %es, %ss:result+56
    movw %fs, %ss:result+60
    movw %gs, %ss:result+64
    movw %ss, %ss:result+68
    movl $0x10, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %fs
    movl %eax, %gs
    movl %eax, %ss
    movl saved_esp, %esp
    pushl $2                       /* the harness's C code wants DF clear (and IF stays clear) */
    popfl
    fnsave result+72
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret

harness_fault:
    movl $0x10, %eax
    movl %eax, %ds
    movl %eax, %ss
    movl $0x00800000, %esp
    call report_harness_fault
1:  hlt
    jmp 1b
