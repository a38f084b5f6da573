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

/* Where a case runs: flags bits 1-2. 16-bit cases live below 1 MiB, one 64 KiB segment each for
 * code, data and stack; the same linear addresses in real mode (segments 1000, 2000, 3000), in
 * virtual-8086 mode and behind the 16-bit descriptors (CPL 3). */
#define MODE_SHIFT   1
#define MODE_PM32    0            /* 32-bit protected mode, CPL 0, the case pages above */
#define MODE_REAL    1            /* real mode, paging off, the interrupt vector table at IVT16 */
#define MODE_PM16    2            /* a 16-bit code segment at CPL 3 (faults leave through the TSS) */
#define MODE_VM86    3            /* virtual-8086 mode at CPL 3 */
#define CODE16       0x00010000   /* CS = 1000 (real, virtual-8086), base of SEL_CS16/SEL_CS32 */
#define DATA16       0x00020000   /* DS = 2000 or SEL_DS16; the first 64 bytes are loaded and compared */
#define STACK16      0x00030000   /* SS = 3000 or SEL_SS16/SEL_SS32 */
#define LANDING16    0x0100       /* offset of the landing pad far transfers aim at */
#define DONE_OFF     0x0FF0       /* an INT3 every 16-bit case ends on (jmp far DONE_CS:DONE_OFF) */
#define RT16         0x00008000   /* the real-mode runtime: interrupt stubs and transitions (real16.S) */
#define RT16_SEG     0x0800
#define RM_SAVE      0x0F00       /* offset in RT16 of struct rm_state */
#define IVT16        0x00009000   /* the real-mode interrupt vector table cases run with */

/* Selectors of the 16-bit protected-mode cases (DPL 3 unless noted; used with RPL 3) and the
 * harness's own (DPL 0). HarnessLayout.cs names the same values. */
#define SEL_CS16       0x70   /* 16-bit code, base CODE16, limit FFFF */
#define SEL_CS32       0x78   /* 32-bit code, base CODE16, limit FFFF */
#define SEL_DS16       0x80   /* data, base DATA16, limit FFFF */
#define SEL_SS16       0x88   /* stack, base STACK16, limit FFFF, B = 0 */
#define SEL_SS32       0x90   /* stack, base STACK16, limit FFFF, B = 1 */
#define SEL_CS16_CONF  0x98   /* 16-bit conforming code, DPL 0, base CODE16 */
#define SEL_GATE16     0xA0   /* 16-bit call gate to SEL_CS16:LANDING16 */
#define SEL_GATE32     0xA8   /* 32-bit call gate to SEL_CS32:LANDING16 */
#define SEL_DS16_RO    0xB0   /* read-only data, base DATA16 */
#define SEL_DS16_DPL0  0xB8   /* data, base DATA16, DPL 0 */
#define SEL_DS16_NP    0xC0   /* data, base DATA16, not present */
#define SEL_TSS        0xC8   /* the harness's TSS (ring-0 stack for CPL 3 cases) */
#define SEL_RT_CODE16  0xD0   /* 16-bit code, base RT16, DPL 0: the way down to real mode */
#define SEL_RT_DATA16  0xD8   /* 16-bit data, base 0, limit FFFF, DPL 0: real-mode-like caches */

#ifndef __ASSEMBLER__

/* The case record the generator writes (little-endian, CASE_SIZE bytes). */
struct conform_case {
    u32 flags;          /* bit 0: load the FPU image with FRSTOR; bits 1-2: MODE_* */
    u32 regs[8];        /* eax ecx edx ebx esp ebp esi edi */
    u32 eflags;
    u8 pad[8];
    u8 data[DATA_BYTES];
    u8 fpu[108];        /* a 32-bit protected-mode FNSAVE image; for 16-bit cases u16 ds, es, fs, gs, ss */
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
    u32 eip;            /* offset from CODE_BASE (IP for 16-bit cases) of the faulting instruction (or of the next one for traps) */
    u32 cr2;
    u32 seg[6];         /* ds es fs gs ss cs */
    u8 fpu[108];
};

/* The real-mode runtime's save area at RT16 + RM_SAVE: the case's state going in and coming out. */
struct rm_state {
    u32 regs[8];        /* eax ecx edx ebx esp ebp esi edi */
    u32 eflags;
    u16 ip, cs, ds, es, fs, gs, ss, vector;
};

#endif /* __ASSEMBLER__ */
#endif
