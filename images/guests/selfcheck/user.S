/* Ring-3 code of the selfcheck guest: system calls through INT 0x80, SYSENTER and a call gate,
 * then privileged instructions and protected pages that must fault, then syscall 0 to leave. */
    .text
    .globl user_main
user_main:
    movl $1, %eax
    movl $0x1111, %ebx
    int $0x80               /* syscall 1: report EBX */

    movl $2, %eax
    movl $0x2222, %ebx
    movl %esp, %ecx
    leal 1f, %edx
    sysenter
1:
    pushl $0x3333
    lcall $0x33, $0         /* call gate (selector 0x30, RPL 3) */

    leal 2f, %eax
    movl %eax, user_recover
    cli                     /* #GP(0): IOPL is 0 */
2:
    leal 3f, %eax
    movl %eax, user_recover
    int $13                 /* #GP(13*8+2): the gate's DPL is 0 */
3:
    leal 4f, %eax
    movl %eax, user_recover
    movl 0x40002000, %eax   /* #PF(5): a supervisor page */
4:
    leal 5f, %eax
    movl %eax, user_recover
    hlt                     /* #GP(0): HLT needs CPL 0 */
5:
    leal 6f, %eax
    movl %eax, user_recover
    inb $0x80, %al          /* #GP(0): no I/O permission */
6:
    movl $1, %eax
    movw %cs, %bx
    int $0x80               /* report CS: RPL 3 */
    movl $0, %eax
    int $0x80               /* syscall 0: back to the kernel */
7:  jmp 7b
