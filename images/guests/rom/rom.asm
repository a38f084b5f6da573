; A 64 KiB firmware image started from the reset vector: real mode at F000:FFF0, then it enables
; A20 through port 0x92, loads a GDT, switches to 32-bit protected mode and checks it: the mode
; bits, a segment limit read back with LSL, memory above 1 MiB distinct from memory below.
; Output goes to the debug console port (0xE9); the exit device (port 0xF4) ends the run with
; (0x10 << 1) | 1 = 33 when every check passed, 35 when one failed.
; Build: nasm -f bin -o rom.bin rom.asm (images/guests/build.sh).

DEBUGCON equ 0xE9
EXIT_PORT equ 0xF4

        bits 16
        org 0x0000                      ; offsets within the F000 segment (the image is its last 64 KiB)

%macro print 1                          ; a zero-terminated string at CS:%1, in real mode
        mov si, %1
        call puts16
%endmacro

start16:
        cli
        cld
        xor ax, ax
        mov ss, ax
        mov sp, 0x7000
        print msg_reset
        mov eax, cr0
        test al, 1
        jnz fail16                      ; PE must be clear after reset
        print msg_real
        in al, 0x92                     ; fast A20
        or al, 2
        out 0x92, al
        o32 lgdt [cs:gdt_desc]
        mov eax, cr0
        or al, 1
        mov cr0, eax
        jmp dword 0x08:(0xF0000 + pm32)

puts16:
        mov al, [cs:si]
        test al, al
        jz .done
        out DEBUGCON, al
        inc si
        jmp puts16
.done:  ret

fail16:
        mov al, 0x11
        out EXIT_PORT, al
        hlt

        bits 32
pm32:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov esp, 0x7000
        mov esi, 0xF0000 + msg_pm
        call puts32
        mov eax, cr0
        test al, 1
        jz fail32
        mov eax, 0x10
        lsl ebx, eax                    ; the data segment's limit: 4 GiB - 1
        jnz fail32
        cmp ebx, 0xFFFFFFFF
        jne fail32
        mov esi, 0xF0000 + msg_lsl
        call puts32
        mov dword [0x00000500], 0x11111111
        mov dword [0x00100500], 0x22222222  ; with A20 on this is not the same byte as 0x500
        cmp dword [0x00000500], 0x11111111
        jne fail32
        mov esi, 0xF0000 + msg_a20
        call puts32
        mov al, 0x10
        out EXIT_PORT, al
        hlt

puts32:
        mov al, [esi]
        test al, al
        jz .done
        out DEBUGCON, al
        inc esi
        jmp puts32
.done:  ret

fail32:
        mov esi, 0xF0000 + msg_fail
        call puts32
        mov al, 0x11
        out EXIT_PORT, al
        hlt

msg_reset:  db "rom: reset vector reached", 10, 0
msg_real:   db "rom: real mode, CR0.PE clear", 10, 0
msg_pm:     db "rom: protected mode", 10, 0
msg_lsl:    db "rom: flat data segment, limit 4 GiB - 1", 10, 0
msg_a20:    db "rom: A20 on, memory above 1 MiB distinct", 10, 0
msg_fail:   db "rom: check failed", 10, 0

        align 8
gdt:    dq 0
        dq 0x00CF9A000000FFFF           ; 0x08 code, flat, 32-bit
        dq 0x00CF92000000FFFF           ; 0x10 data, flat
gdt_desc:
        dw gdt_desc - gdt - 1
        dd 0xF0000 + gdt

        times 0xFFF0 - ($ - $$) db 0xFF
        bits 16
reset_vector:                           ; F000:FFF0
        jmp 0xF000:start16
        times 0x10000 - ($ - $$) db 0xFF
