/* Finds and checks the ACPI tables the way an OS does (RSDP search in the BIOS area, RSDT,
 * FACP, FACS, DSDT, every checksum), reads \_S5's SLP_TYP from the DSDT's AML, checks that the PM
 * timer advances, and powers off through PM1a_CNT. Lines starting "board:" name the firmware's
 * own choices (addresses, OEM, table counts) and differ between boards. */
#include "../common/guest.h"

static inline void outw(u16 port, u16 v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline u32 inl(u16 port) { u32 v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u16 inw(u16 port) { u16 v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static int sum_ok(const u8 *p, u32 n)
{
    u8 s = 0;
    for (u32 i = 0; i < n; i++)
        s += p[i];
    return s == 0;
}

static int sig(const u8 *p, const char *s) { return p[0] == s[0] && p[1] == s[1] && p[2] == s[2] && p[3] == s[3]; }

/* The FACS (ACPI 6.5 section 5.2.10): FIRMWARE_CTRL at FADT offset 36, or X_FIRMWARE_CTRL at
 * offset 132 in a FADT of revision 3 or later, which wins when non-zero (and then FIRMWARE_CTRL
 * must be zero). The table has no checksum; it is "FACS", at least 64 bytes long and on a
 * 64-byte boundary, and before any OS has run its waking vectors are zero. */
static void check_facs(const u8 *facp)
{
    u32 facs = *(const u32 *)(facp + 36);
    u32 flen = *(const u32 *)(facp + 4);
    if (facp[8] >= 3 && flen >= 140) {
        u32 xlo = *(const u32 *)(facp + 132), xhi = *(const u32 *)(facp + 136);
        if (xlo | xhi) {
            if (facs != 0)
                puts("acpi: FIRMWARE_CTRL and X_FIRMWARE_CTRL both set\n");
            if (xhi != 0) {
                puts("acpi: FACS above 4 GiB\n");
                return;
            }
            facs = xlo;
        }
    }
    if (facs == 0) {
        puts("acpi: no FACS\n");
        return;
    }
    const u8 *f = (const u8 *)facs;
    u32 len = *(const u32 *)(f + 4);
    puts(sig(f, "FACS") ? "acpi: FACS found\n" : "acpi: FACS signature bad\n");
    puts(len >= 64 ? "acpi: FACS length ok\n" : "acpi: FACS too short\n");
    puts((facs & 63) == 0 ? "acpi: FACS 64-byte aligned\n" : "acpi: FACS misaligned\n");
    u32 waking = *(const u32 *)(f + 12);
    u32 xwaking = f[32] >= 1 ? *(const u32 *)(f + 24) | *(const u32 *)(f + 28) : 0;
    puts(waking == 0 && xwaking == 0 ? "acpi: FACS waking vectors clear\n" : "acpi: FACS waking vector set\n");
    puts((*(const u32 *)(f + 16) & 3) == 0 ? "acpi: FACS global lock free\n" : "acpi: FACS global lock owned\n");
    print_kv("board: FACS version", f[32]);
}

u32 kmain(u32 magic, void *mbi)
{
    (void)magic;
    (void)mbi;
    serial_init();
    const u8 *rsdp = 0;
    for (u32 a = 0xE0000; a < 0x100000; a += 16) {
        const u8 *p = (const u8 *)a;
        if (p[0] == 'R' && p[1] == 'S' && p[2] == 'D' && p[3] == ' ' && p[4] == 'P' && p[5] == 'T' && p[6] == 'R' && p[7] == ' '
            && sum_ok(p, 20)) {
            rsdp = p;
            break;
        }
    }
    if (!rsdp) {
        puts("acpi: no RSDP\n");
        return 0;
    }
    puts("acpi: RSDP found, checksum ok\n");
    const u8 *rsdt = (const u8 *)*(const u32 *)(rsdp + 16);
    u32 len = *(const u32 *)(rsdt + 4);
    puts(sig(rsdt, "RSDT") && sum_ok(rsdt, len) ? "acpi: RSDT checksum ok\n" : "acpi: RSDT bad\n");
    const u8 *facp = 0;
    u32 entries = (len - 36) / 4;
    print_kv("board: RSDT entries", entries);
    for (u32 i = 0; i < entries; i++) {
        const u8 *t = (const u8 *)((const u32 *)(rsdt + 36))[i];
        if (sig(t, "FACP"))
            facp = t;
    }
    if (!facp) {
        puts("acpi: no FACP\n");
        return 1;
    }
    puts(sum_ok(facp, *(const u32 *)(facp + 4)) ? "acpi: FACP checksum ok\n" : "acpi: FACP bad\n");
    const u8 *dsdt = (const u8 *)*(const u32 *)(facp + 40);
    u32 dlen = *(const u32 *)(dsdt + 4);
    puts(sig(dsdt, "DSDT") && sum_ok(dsdt, dlen) ? "acpi: DSDT checksum ok\n" : "acpi: DSDT bad\n");
    check_facs(facp);
    u16 pm1a_cnt = (u16)*(const u32 *)(facp + 64);
    u16 pm_tmr = (u16)*(const u32 *)(facp + 76);
    print_kv("board: PM1a_CNT", pm1a_cnt);
    /* \_S5: NameOp "_S5_" PackageOp PkgLength NumElements, then the first element (SLP_TYPa). */
    int slp_typ = -1;
    for (u32 i = 36; i + 8 < dlen; i++) {
        if (dsdt[i] == '_' && dsdt[i + 1] == 'S' && dsdt[i + 2] == '5' && dsdt[i + 3] == '_' && dsdt[i + 4] == 0x12) {
            const u8 *e = dsdt + i + 7;                 /* after PackageOp, a one-byte PkgLength, NumElements */
            slp_typ = e[0] == 0x0A ? e[1] : e[0] == 0x01 ? 1 : 0; /* BytePrefix n, OneOp, or ZeroOp */
            break;
        }
    }
    if (slp_typ < 0) {
        puts("acpi: no _S5\n");
        return 1;
    }
    puts("acpi: _S5 found\n");
    print_kv("board: SLP_TYP", (u32)slp_typ);
    u32 t0 = inl(pm_tmr) & 0xFFFFFF;
    for (volatile int i = 0; i < 100000; i++)
        ;
    u32 t1 = inl(pm_tmr) & 0xFFFFFF;
    puts(t1 != t0 ? "acpi: PM timer advances\n" : "acpi: PM timer stopped\n");
    /* Into ACPI mode first where the firmware left the legacy mode: ACPI_ENABLE to SMI_CMD, then wait for SCI_EN. */
    u32 smi_cmd = *(const u32 *)(facp + 48);
    u8 acpi_enable = facp[52];
    u16 pm1a_evt = (u16)*(const u32 *)(facp + 56);
    (void)pm1a_evt;
    if (!(inw(pm1a_cnt) & 1) && smi_cmd != 0) {
        puts("board: enabling ACPI mode through SMI_CMD\n");
        outb((u16)smi_cmd, acpi_enable);
        for (int i = 0; i < 1000000 && !(inw(pm1a_cnt) & 1); i++)
            ;
    }
    puts((inw(pm1a_cnt) & 1) ? "acpi: SCI_EN set\n" : "acpi: SCI_EN clear\n");
    puts("acpi: powering off\n");
    outw(pm1a_cnt, (u16)((slp_typ << 10) | 0x2000));
    for (volatile int i = 0; i < 20000000; i++)
        ; /* a real power-off may take a moment to act */
    puts("acpi: still running after S5\n");
    return 1;
}
