#!/usr/bin/env bash
# Fetches Debian's i386 686 kernel and busybox-static into .cache/linux for the Linux boot test,
# without changing the system: package lists go to a private directory and the packages are
# unpacked, not installed. Safe to run again (it stops if the files are there).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/.cache/linux"
if [ -f "$cache/busybox" ] && ls "$cache"/boot/vmlinuz-* >/dev/null 2>&1; then
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$cache/boot"
apt_opts=(-q -o "Dir::State::Lists=$work/lists" -o "APT::Architectures::=i386" -o "APT::Architecture=i386")
apt-get "${apt_opts[@]}" update >/dev/null 2>&1 || true
kernel_pkg=$(apt-cache "${apt_opts[@]}" depends linux-image-686 2>/dev/null | awk '/Depends: linux-image-/ { print $2; exit }')
[ -n "$kernel_pkg" ] || { echo "fetch-linux: no linux-image-686 for i386 in the package lists" >&2; exit 1; }
(cd "$work" && apt-get "${apt_opts[@]}" download "$kernel_pkg" busybox-static >/dev/null 2>&1)
dpkg-deb -x "$work"/linux-image-*.deb "$work/k"
dpkg-deb -x "$work"/busybox-static_*.deb "$work/b"
cp "$work"/k/boot/vmlinuz-* "$cache/boot/"
cp "$work/b/bin/busybox" "$cache/busybox"
echo "fetch-linux: $(basename "$cache"/boot/vmlinuz-*) and busybox in $cache"
