/* Real-mode cases: down from paged protected mode to real mode, into the case by an IRET, and
 * back up when it ends (INT3 at 1000:DONE_OFF) or faults. The 16-bit part, rt16_start..rt16_end,
 * is copied to RT16 and runs there as segment RT16_SEG (offsets below are from rt16_start); it
 * keeps the case's state in struct rm_state at RT16_SEG:RM_SAVE, addressed through CS, because in
 * real mode nothing else is known to point anywhere useful. */
#include "conform.h"

/* struct rm_state offsets */
#define S_EAX RM_SAVE+0
#define S_ECX RM_SAVE+4
#define S_EDX RM_SAVE+8
#define S_EBX RM_SAVE+12
#define S_ESP RM_SAVE+16
#define S_EBP RM_SAVE+20
#define S_ESI RM_SAVE+24
#define S_EDI RM_SAVE+28
#define S_EFLAGS RM_SAVE+32
#define S_IP RM_SAVE+36
#define S_CS RM_SAVE+38
#define S_DS RM_SAVE+40
#define S_ES RM_SAVE+42
#define S_FS RM_SAVE+44
#define S_GS RM_SAVE+46
#define S_SS RM_SAVE+48
#define S_VECTOR RM_SAVE+50

    .text
    .code32
    .globl run_case_real
/* void run_case_real(void): the case's state is already in rm_state; returns after capturing. */
run_case_real:
    pushl %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl %esp, saved_esp
    movl $MODE_REAL, case_mode
    movl %cr0, %eax
    andl $0x7FFFFFFF, %eax         /* paging off: this code is identity-mapped */
    movl %eax, %cr0
    ljmp $SEL_RT_CODE16, $(rm_enter - rt16_start)

/* Back in 32-bit protected mode from rm_fault: the harness's segments, stack and paging. */
rm_back32:
    movl $0x10, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %fs
    movl %eax, %gs
    movl %eax, %ss
    movl saved_esp, %esp
    movl %cr0, %eax
    orl $0x80000000, %eax
    movl %eax, %cr0
    call real_case_result
    jmp capture_tail

    .code16
    .globl rt16_start, rt16_stubs, rt16_end
rt16_start:
/* 16-bit protected mode, CS based at RT16: real-mode-like caches for the data segments, then PE off. */
rm_enter:
    movw $SEL_RT_DATA16, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    movl %cr0, %eax
    andl $~1, %eax
    movl %eax, %cr0
    ljmp $RT16_SEG, $(rm_real - rt16_start)

rm_real:
    lidt %cs:(rm_idtr - rt16_start)
    movw %cs:S_SS, %ss
    movl %cs:S_ESP, %esp
    pushw %cs:S_EFLAGS             /* the IRET frame: FLAGS, CS, IP (below the case's SP, which IRET restores) */
    pushw $CODE16 >> 4
    pushw $0
    movw %cs:S_DS, %ds
    movw %cs:S_ES, %es
    movw %cs:S_FS, %fs
    movw %cs:S_GS, %gs
    movl %cs:S_EAX, %eax
    movl %cs:S_ECX, %ecx
    movl %cs:S_EDX, %edx
    movl %cs:S_EBX, %ebx
    movl %cs:S_EBP, %ebp
    movl %cs:S_ESI, %esi
    movl %cs:S_EDI, %edi
    iret

/* Every interrupt vector: note the vector, then rm_fault (fixed 9-byte stubs, so vector v's entry is rt16_stubs + 9v). */
rt16_stubs:
    .set vec, 0
    .rept 256
    movb $vec, %cs:S_VECTOR
    .byte 0xE9                     /* jmp rel16 to rm_fault, spelled out so every stub has the same size */
    .word rm_fault - (. + 2)
    .set vec, vec + 1
    .endr

/* The interrupt frame (IP, CS, FLAGS) is on the case's stack; everything else is in the registers. */
rm_fault:
    movl %eax, %cs:S_EAX
    movl %ecx, %cs:S_ECX
    movl %edx, %cs:S_EDX
    movl %ebx, %cs:S_EBX
    movl %ebp, %cs:S_EBP
    movl %esi, %cs:S_ESI
    movl %edi, %cs:S_EDI
    popw %cs:S_IP
    popw %cs:S_CS
    popw %cs:S_EFLAGS
    movl %esp, %cs:S_ESP
    movw %ds, %cs:S_DS
    movw %es, %cs:S_ES
    movw %fs, %cs:S_FS
    movw %gs, %cs:S_GS
    movw %ss, %cs:S_SS
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    .byte 0x66, 0xEA               /* ljmpl $0x08, $rm_back32 */
    .long rm_back32
    .word 0x08

rm_idtr:
    .word 0x3FF
    .long IVT16
rt16_end:
    .code32
