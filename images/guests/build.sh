#!/usr/bin/env bash
# Builds the project's guest kernels into bin/ (committed, so tests run without gcc) and the
# native reference program bin/hostcheck (not committed: it is built where the tests run).
# Usage: images/guests/build.sh [OUTDIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here" # so the debug information's compilation directory is $here, mapped to "." below
out=${1:-$here/bin}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

CFLAGS="-m32 -march=i686 -ffreestanding -fno-pie -fno-pic -fno-stack-protector -fno-builtin -nostdlib -O2 -fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns -Wall -Werror -ffile-prefix-map=$here=."

cc() { gcc $CFLAGS -c "$1" -o "$2"; }

cc "$here/common/boot.S" "$tmp/boot.o"
cc "$here/common/guest.c" "$tmp/guest.o"
cc "$here/cpucheck/cpucheck.c" "$tmp/cpucheck.o"

link() { # name objects...
    local name=$1; shift
    ld -m elf_i386 -z noexecstack --no-warn-rwx-segments -T "$here/common/linker.ld" --build-id=none -o "$out/$name.elf" "$tmp/boot.o" "$tmp/guest.o" "$@"
}

cc "$here/demo/demo.c" "$tmp/demo.o"
link demo "$tmp/demo.o"

cc "$here/bench/bench.c" "$tmp/bench.o"
link bench "$tmp/bench.o"

cc "$here/selfcheck/selfcheck.c" "$tmp/selfcheck.o"
cc "$here/selfcheck/entry.S" "$tmp/entry.o"
cc "$here/selfcheck/user.S" "$tmp/user.o"
link selfcheck "$tmp/selfcheck.o" "$tmp/entry.o" "$tmp/user.o" "$tmp/cpucheck.o"

cc "$here/devices/devices.c" "$tmp/devices.o"
cc "$here/devices/irq.S" "$tmp/irq.o"
link devices "$tmp/devices.o" "$tmp/irq.o"

cc "$here/irqbench/irqbench.c" "$tmp/irqbench.o"
link irqbench "$tmp/irqbench.o"

# The debugger's target carries DWARF line and variable information (-g -O0).
gcc $CFLAGS -O0 -g -c "$here/gdbtarget/gdbtarget.c" -o "$tmp/gdbtarget.o"
link gdbtarget "$tmp/gdbtarget.o"

cc "$here/probe/probe.c" "$tmp/probe.o"
link probe "$tmp/probe.o"

cc "$here/debug/debug.c" "$tmp/debug.o"
link debug "$tmp/debug.o"

cc "$here/vm86/vm86.c" "$tmp/vm86.o"
link vm86 "$tmp/vm86.o"

cc "$here/tasks/tasks.c" "$tmp/tasks.o"
link tasks "$tmp/tasks.o"

cc "$here/floppy/floppy.c" "$tmp/floppy.o"
link floppy "$tmp/floppy.o"

cc "$here/apic/apic.c" "$tmp/apic.o"
link apic "$tmp/apic.o"

cc "$here/acpi/acpi.c" "$tmp/acpi.o"
link acpi "$tmp/acpi.o"

cc "$here/irqwin/irqwin.c" "$tmp/irqwin.o"
link irqwin "$tmp/irqwin.o"

cc "$here/slowpath/slowpath.c" "$tmp/slowpath.o"
link slowpath "$tmp/slowpath.o"

cc "$here/idedual/idedual.c" "$tmp/idedual.o"
link idedual "$tmp/idedual.o"

# Linked at 0x8000 with its own script: the multiboot entry state and memory layout.
cc "$here/mbentry/mbentry.c" "$tmp/mbentry.o"
ld -m elf_i386 -z noexecstack --no-warn-rwx-segments -T "$here/mbentry/linker.ld" --build-id=none -o "$out/mbentry.elf" "$tmp/mbentry.o" "$tmp/guest.o"

# The firmware image started from the reset vector (needs nasm; the committed rom.bin is used otherwise).
if command -v nasm >/dev/null 2>&1; then
    nasm -f bin -o "$out/rom.bin" "$here/rom/rom.asm"
fi

# The differential-testing harness (cases arrive as a multiboot module from the generator).
cc "$here/conform/conform.c" "$tmp/conform.o"
cc "$here/conform/capture.S" "$tmp/capture.o"
cc "$here/conform/real16.S" "$tmp/real16.o"
link conform "$tmp/conform.o" "$tmp/capture.o" "$tmp/real16.o"

# The MINIX318-model kernel and its two user programs (loaded as multiboot modules). Frame
# pointers and no inlining, so every allocator is a hookable symbol with a walkable stack.
MCFLAGS="-fno-omit-frame-pointer -fno-inline -fno-optimize-sibling-calls"
for f in kmain kalloc; do gcc $CFLAGS $MCFLAGS -c "$here/minix318/$f.c" -o "$tmp/m_$f.o"; done
link minix318 "$tmp/m_kmain.o" "$tmp/m_kalloc.o"
for f in ulib libmalloc ucbmalloc prog_a prog_b prog_ucb; do gcc $CFLAGS $MCFLAGS -c "$here/minix318/$f.c" -o "$tmp/u_$f.o"; done
for p in prog_a prog_b; do
    ld -m elf_i386 -z noexecstack --no-warn-rwx-segments -T "$here/minix318/user.ld" --build-id=none -o "$out/$p.elf" \
        "$tmp/u_libmalloc.o" "$tmp/u_ulib.o" "$tmp/u_$p.o"
done
# prog_ucb links the UCB-style allocator instead.
ld -m elf_i386 -z noexecstack --no-warn-rwx-segments -T "$here/minix318/user.ld" --build-id=none -o "$out/prog_ucb.elf" \
    "$tmp/u_ucbmalloc.o" "$tmp/u_ulib.o" "$tmp/u_prog_ucb.o"
# The root-level wrappers' kernel: the kernel allocators without the coremap (whose malloc shares the name).
gcc $CFLAGS $MCFLAGS -DNO_COREMAP -c "$here/minix318/kalloc.c" -o "$tmp/r_kalloc.o"
for f in rootwrap rootmain; do gcc $CFLAGS $MCFLAGS -DNO_COREMAP -c "$here/minix318/$f.c" -o "$tmp/r_$f.o"; done
link minix318root "$tmp/r_rootmain.o" "$tmp/r_rootwrap.o" "$tmp/r_kalloc.o"

# The stock-MINIX-3 model: the VM server and PM as programs over a libc malloc with brk/sbrk and
# mmap/munmap, run by the MINIX318-model kernel (which serves sbrk, mmap and munmap).
for f in libc vm pm; do gcc $CFLAGS $MCFLAGS -c "$here/minix3/$f.c" -o "$tmp/m3_$f.o"; done
for p in vm pm; do
    ld -m elf_i386 -z noexecstack --no-warn-rwx-segments -T "$here/minix318/user.ld" --build-id=none -o "$out/$p.elf" \
        "$tmp/m3_libc.o" "$tmp/m3_$p.o"
done

# Tracing benchmarks: sparse allocator calls, and nothing but allocator calls.
gcc $CFLAGS $MCFLAGS -c "$here/minix318/tracebench.c" -o "$tmp/tracebench.o"
link tracebench "$tmp/tracebench.o" "$tmp/m_kalloc.o"
gcc $CFLAGS $MCFLAGS -DALLOC_EVERY=10000 -c "$here/minix318/tracebench.c" -o "$tmp/tracesparse.o"
link tracesparse "$tmp/tracesparse.o" "$tmp/m_kalloc.o"
gcc $CFLAGS $MCFLAGS -DALLOC_EVERY=1 -DROUNDS=200000 -c "$here/minix318/tracebench.c" -o "$tmp/allocbench.o"
link allocbench "$tmp/allocbench.o" "$tmp/m_kalloc.o"

# The native reference: the same cpucheck object code run on the host processor.
if [ "${BUILD_HOSTCHECK:-1}" = 1 ]; then
    cc "$here/hostcheck/hostcheck.c" "$tmp/hostcheck.o"
    ld -m elf_i386 -z noexecstack --build-id=none -e _start -o "$out/hostcheck" "$tmp/hostcheck.o" "$tmp/cpucheck.o"
fi
