/* Entering a case with its registers and flags, and capturing the machine state when it ends
 * or faults (the IDT stubs below). 32-bit cases run at CPL 0 and end with jmp [DONE_SLOT]; their
 * SS stays the flat data segment (the generator never loads SS in them), so the capture code
 * addresses memory through SS. 16-bit protected-mode and virtual-8086 cases run at CPL 3 and end
 * on the INT3 at DONE_CS:DONE_OFF: every exit switches to the TSS's ring-0 stack and finds the
 * case's SS:ESP (and in virtual-8086 mode its data segments) in the frame. Real-mode cases are
 * in real16.S. */
#include "conform.h"

/* struct conform_result offsets */
#define R_REGS   0
#define R_ESP    16
#define R_EFLAGS 32
#define R_VECTOR 36
#define R_ERROR  40
#define R_EIP    44
#define R_CR2    48
#define R_DS     52
#define R_ES     56
#define R_FS     60
#define R_GS     64
#define R_SS     68
#define R_CS     72
#define R_FPU    76

    .data
    .globl saved_esp, in_case, case_mode, done_cs
saved_esp: .long 0
case_eflags: .long 0
in_case:   .long 0
case_mode: .long 0         /* MODE_* of the running case */
done_cs:   .long 0         /* the CS whose INT3 at DONE_OFF ends a CPL 3 case */
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
    movl $MODE_PM32, case_mode
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

    .globl run_case_outer
/* void run_case_outer(const struct conform_case *c, u32 mode): a MODE_PM16 or MODE_VM86 case,
 * entered at CPL 3 by an IRET (which loads SS:ESP, and in virtual-8086 mode the data segments). */
run_case_outer:
    pushl %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl %esp, saved_esp
    movl 20(%esp), %ebx
    movl 24(%esp), %eax
    movl %eax, case_mode
    movl $1, in_case
    cmpl $MODE_VM86, %eax
    jne 1f
    movzwl %ss:118(%ebx), %eax   /* the segment selectors sit in the record's FPU area: ds es fs gs ss */
    pushl %eax                   /* GS */
    movzwl %ss:116(%ebx), %eax
    pushl %eax                   /* FS */
    movzwl %ss:112(%ebx), %eax
    pushl %eax                   /* DS */
    movzwl %ss:114(%ebx), %eax
    pushl %eax                   /* ES */
    movl $CODE16 >> 4, %ecx
    jmp 2f
1:  movw %ss:112(%ebx), %ds      /* DPL 3 data segments stay loaded across the IRET to CPL 3 */
    movw %ss:114(%ebx), %es
    movw %ss:116(%ebx), %fs
    movw %ss:118(%ebx), %gs
    movl $SEL_CS16 | 3, %ecx
2:  movl %ecx, %ss:done_cs
    movzwl %ss:120(%ebx), %eax
    pushl %eax                   /* SS */
    pushl %ss:20(%ebx)           /* ESP (a 16-bit SS takes SP: the case's prologue loads all of ESP) */
    pushl %ss:36(%ebx)           /* EFLAGS, VM included for virtual-8086 mode */
    pushl %ecx                   /* CS */
    pushl $0                     /* EIP */
    movl %ss:4(%ebx), %eax
    movl %ss:8(%ebx), %ecx
    movl %ss:12(%ebx), %edx
    movl %ss:24(%ebx), %ebp
    movl %ss:28(%ebx), %esi
    movl %ss:32(%ebx), %edi
    movl %ss:16(%ebx), %ebx
    iret

    .globl case_done
case_done:
    save_gprs
    movl %esp, %ss:result+R_ESP
    pushfl
    popl %ss:result+R_EFLAGS
    movl $0xFFFFFFFF, %ss:result+R_VECTOR
    movl $0, %ss:result+R_ERROR
    movl $0, %ss:result+R_EIP
    movw %cs, %ss:result+R_CS
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
    cmpl $MODE_PM16, %ss:case_mode
    jae outer_capture
    popl %eax                      /* vector */
    movl %eax, %ss:result+R_VECTOR
    popl %eax                      /* error code */
    movl %eax, %ss:result+R_ERROR
    popl %eax                      /* eip */
    subl $CODE_BASE, %eax
    movl %eax, %ss:result+R_EIP
    popl %eax                      /* cs */
    movl %eax, %ss:result+R_CS
    popl %eax                      /* eflags */
    movl %eax, %ss:result+R_EFLAGS
    movl %esp, %ss:result+R_ESP    /* the case's ESP before the exception frame */

capture_common:
    ljmp $0x08, $1f                /* a far transfer may have left CS on another code segment */
1:
    movw %ds, %ss:result+R_DS
    movw %es, %ss:result+R_ES
    movw %fs, %ss:result+R_FS
    movw %gs, %ss:result+R_GS
    movw %ss, %ss:result+R_SS

/* Everything is recorded but CR2 and the FPU: back to the harness's own state and return from run_case*. */
    .globl capture_tail
capture_tail:
    movl $0, %ss:in_case
    movl %cr2, %eax
    movl %eax, %ss:result+R_CR2
    movl $0x10, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %fs
    movl %eax, %gs
    movl %eax, %ss
    movl saved_esp, %esp
    pushl $2                       /* the harness's C code wants DF clear (and IF stays clear) */
    popfl
    fnsave result+R_FPU
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret

/* A CPL 3 case left through the TSS: the frame holds error, EIP, CS, EFLAGS, ESP, SS (and ES, DS,
 * FS, GS from virtual-8086 mode); ESP is the ring-0 stack, SS the flat data segment. */
outer_capture:
    popl %eax
    movl %eax, %ss:result+R_VECTOR
    popl %eax
    movl %eax, %ss:result+R_ERROR
    popl %eax
    movl %eax, %ss:result+R_EIP
    popl %eax
    movl %eax, %ss:result+R_CS
    popl %eax
    movl %eax, %ss:result+R_EFLAGS
    popl %eax
    movl %eax, %ss:result+R_ESP
    popl %eax
    movl %eax, %ss:result+R_SS
    testl $0x20000, %ss:result+R_EFLAGS
    jz 1f
    popl %eax
    movl %eax, %ss:result+R_ES
    popl %eax
    movl %eax, %ss:result+R_DS
    popl %eax
    movl %eax, %ss:result+R_FS
    popl %eax
    movl %eax, %ss:result+R_GS
    jmp 2f
1:  movw %ds, %ss:result+R_DS
    movw %es, %ss:result+R_ES
    movw %fs, %ss:result+R_FS
    movw %gs, %ss:result+R_GS
2:  cmpl $3, %ss:result+R_VECTOR   /* the INT3 at DONE_CS:DONE_OFF is the case's end, not a fault */
    jne capture_tail
    movzwl %ss:result+R_CS, %eax
    cmpl %ss:done_cs, %eax
    jne capture_tail
    cmpl $DONE_OFF + 1, %ss:result+R_EIP
    jne capture_tail
    movl $0xFFFFFFFF, %ss:result+R_VECTOR
    movl $0, %ss:result+R_EIP
    jmp capture_tail

harness_fault:
    movl $0x10, %eax
    movl %eax, %ds
    movl %eax, %ss
    movl $0x00800000, %esp
    call report_harness_fault
1:  hlt
    jmp 1b
