/* The differential-testing harness's fixed layout, shared with the case generator
 * (tools/Minix318Emu.Cli/Conformance/HarnessLayout.cs): change both together. */
#ifndef CONFORM_H
#define CONFORM_H

#define CASE_MAGIC   0x31464E43u   /* "CNF1" */
#define CASE_SIZE    512
/* The case pages sit at 92 MiB, above the case module (the harness runs with 128 MiB). */
#define CODE_BASE    0x05C00000   /* the case's code page */
#define DATA_BASE    0x05C01000   /* read/write data page; the first 64 bytes are loaded and compared */
#define RO_PAGE      0x05C02000   /* read-only page (CR0.WP is set) */
#define NP_PAGE      0x05C03000   /* not-present page */
#define STACK_TOP    0x05C05000   /* the case's stack page is 0x05C04000 */
#define DONE_SLOT    0x05C00FFC   /* holds the address of case_done: cases end with jmp [DONE_SLOT] */
#define DATA_BYTES   64
#define MODULE_LIMIT 0x05C00000   /* the case module must end below the case pages */

#ifndef __ASSEMBLER__

/* The case record the generator writes (little-endian, CASE_SIZE bytes). */
struct conform_case {
    u32 flags;          /* bit 0: load the FPU image with FRSTOR */
    u32 regs[8];        /* eax ecx edx ebx esp ebp esi edi */
    u32 eflags;
    u8 pad[8];
    u8 data[DATA_BYTES];
    u8 fpu[108];        /* a 32-bit protected-mode FNSAVE image */
    u16 code_len;
    u16 pad2;
    u8 code[CASE_SIZE - 224];
};

/* What the capture code records at the end of a case or at a fault. */
struct conform_result {
    u32 regs[8];
    u32 eflags;
    u32 vector;         /* 0xFFFFFFFF when the case ran to its end */
    u32 error;
    u32 eip;            /* offset from CODE_BASE of the faulting instruction (or of the next one for traps) */
    u32 cr2;
    u32 seg[5];         /* ds es fs gs ss */
    u8 fpu[108];
};

#endif /* __ASSEMBLER__ */
#endif
