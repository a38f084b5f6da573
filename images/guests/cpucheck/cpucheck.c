#include "cpucheck.h"

typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;

#define CF 0x001u
#define PF 0x004u
#define AF 0x010u
#define ZF 0x040u
#define SF 0x080u
#define OF 0x800u
#define ALL (CF | PF | AF | ZF | SF | OF)

static u32 h;
static void mix(u32 v) { h = (h ^ v) * 16777619u; }
static void begin(void) { h = 2166136261u; }

static const u32 vals[] = {
    0, 1, 2, 0x7f, 0x80, 0x81, 0xff, 0x100, 0x7fff, 0x8000, 0x8001, 0xffff, 0x10000,
    0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0x12345678, 0xdeadbeef,
    0x0f0f0f0f, 0x55aa55aa, 0x00000009, 0x99999999,
};
#define NV (sizeof(vals) / sizeof(vals[0]))
static const u32 flag_inputs[] = { 0x2, 0x2 | ALL };

/* ---- two-operand ALU: op b, a with flags in and out ------------------------------------ */
#define DEF_ALU(NAME, INSN, MOD, CONS)                                                        \
    static u32 NAME(u32 a, u32 b, u32 fin, u32 *fo)                                          \
    {                                                                                         \
        u32 f;                                                                                \
        __asm__ volatile("pushl %[fin]\n\tpopfl\n\t" INSN " %" MOD "[b], %" MOD "[a]\n\t"     \
                         "pushfl\n\tpopl %[f]"                                                \
                         : [a] "+" CONS(a), [f] "=&r"(f)                                      \
                         : [b] CONS(b), [fin] "r"(fin)                                        \
                         : "cc");                                                             \
        *fo = f;                                                                              \
        return a;                                                                             \
    }
#define DEF_ALU3(OP) DEF_ALU(OP##8, #OP "b", "b", "q") DEF_ALU(OP##16, #OP "w", "w", "r") DEF_ALU(OP##32, #OP "l", "k", "r")
DEF_ALU3(add) DEF_ALU3(adc) DEF_ALU3(sub) DEF_ALU3(sbb) DEF_ALU3(and) DEF_ALU3(or) DEF_ALU3(xor) DEF_ALU3(cmp)
DEF_ALU3(test) DEF_ALU3(xadd) DEF_ALU3(xchg)

/* ---- one-operand ALU ------------------------------------------------------------------ */
#define DEF_UN(NAME, INSN, MOD, CONS)                                                         \
    static u32 NAME(u32 a, u32 b, u32 fin, u32 *fo)                                          \
    {                                                                                         \
        u32 f;                                                                                \
        (void)b;                                                                              \
        __asm__ volatile("pushl %[fin]\n\tpopfl\n\t" INSN " %" MOD "[a]\n\t"                  \
                         "pushfl\n\tpopl %[f]"                                                \
                         : [a] "+" CONS(a), [f] "=&r"(f)                                      \
                         : [fin] "r"(fin)                                                     \
                         : "cc");                                                             \
        *fo = f;                                                                              \
        return a;                                                                             \
    }
#define DEF_UN3(OP) DEF_UN(OP##8, #OP "b", "b", "q") DEF_UN(OP##16, #OP "w", "w", "r") DEF_UN(OP##32, #OP "l", "k", "r")
DEF_UN3(inc) DEF_UN3(dec) DEF_UN3(neg) DEF_UN3(not)

typedef u32 (*alu_fn)(u32, u32, u32, u32 *);

static void run_alu(cpucheck_emit emit, const char *name, alu_fn f8, alu_fn f16, alu_fn f32, u32 mask)
{
    alu_fn fns[3] = { f8, f16, f32 };
    begin();
    for (int w = 0; w < 3; w++)
        for (u32 i = 0; i < NV; i++)
            for (u32 j = 0; j < NV; j++)
                for (int k = 0; k < 2; k++) {
                    u32 f;
                    u32 r = fns[w](vals[i], vals[j], flag_inputs[k], &f);
                    mix(r);
                    mix(f & mask);
                }
    emit(name, h);
}

/* ---- shifts and rotates by CL ---------------------------------------------------------- */
#define DEF_SH(NAME, INSN, MOD, CONS)                                                         \
    static u32 NAME(u32 a, u32 c, u32 fin, u32 *fo)                                          \
    {                                                                                         \
        u32 f;                                                                                \
        __asm__ volatile("pushl %[fin]\n\tpopfl\n\t" INSN " %%cl, %" MOD "[a]\n\t"            \
                         "pushfl\n\tpopl %[f]"                                                \
                         : [a] "+" CONS(a), [f] "=&r"(f)                                      \
                         : "c"(c), [fin] "r"(fin)                                             \
                         : "cc");                                                             \
        *fo = f;                                                                              \
        return a;                                                                             \
    }
#define DEF_SH3(OP) DEF_SH(OP##8, #OP "b", "b", "q") DEF_SH(OP##16, #OP "w", "w", "r") DEF_SH(OP##32, #OP "l", "k", "r")
DEF_SH3(shl) DEF_SH3(shr) DEF_SH3(sar) DEF_SH3(rol) DEF_SH3(ror) DEF_SH3(rcl) DEF_SH3(rcr)

/* Which flags the SDM defines after a shift (kind 0) or rotate (kind 1, through carry 2). */
static u32 shift_mask(int kind, int width, u32 count, int is_shr_or_shl)
{
    u32 c = count & 31;
    if (c == 0)
        return ALL; /* nothing changes */
    if (kind == 0) {
        u32 m = CF | PF | ZF | SF | (c == 1 ? OF : 0);
        if (is_shr_or_shl && c >= (u32)width)
            m &= ~CF;
        return m;
    }
    u32 m = PF | AF | ZF | SF; /* unchanged by rotates */
    if (kind == 2) {
        u32 t = width == 32 ? c : c % (u32)(width + 1);
        if (t == 0)
            return m | CF; /* no rotation: CF unchanged, OF undefined */
    }
    return m | CF | (c == 1 ? OF : 0);
}

static void run_shift(cpucheck_emit emit, const char *name, alu_fn f8, alu_fn f16, alu_fn f32, int kind, int shl_shr)
{
    alu_fn fns[3] = { f8, f16, f32 };
    static const int widths[3] = { 8, 16, 32 };
    begin();
    for (int w = 0; w < 3; w++)
        for (u32 i = 0; i < NV; i++)
            for (u32 c = 0; c < 36; c++)
                for (int k = 0; k < 2; k++) {
                    u32 f;
                    u32 r = fns[w](vals[i], c, flag_inputs[k], &f);
                    mix(r);
                    mix(f & shift_mask(kind, widths[w], c, shl_shr));
                }
    emit(name, h);
}

/* ---- multiply and divide --------------------------------------------------------------- */
static void run_muldiv(cpucheck_emit emit)
{
    begin();
    for (u32 i = 0; i < NV; i++)
        for (u32 j = 0; j < NV; j++) {
            u32 a = vals[i], b = vals[j], lo, hi, f;
            __asm__ volatile("mull %[b]\n\tpushfl\n\tpopl %[f]" : "=a"(lo), "=d"(hi), [f] "=r"(f) : "a"(a), [b] "r"(b) : "cc");
            mix(lo); mix(hi); mix(f & (CF | OF));
            __asm__ volatile("imull %[b]\n\tpushfl\n\tpopl %[f]" : "=a"(lo), "=d"(hi), [f] "=r"(f) : "a"(a), [b] "r"(b) : "cc");
            mix(lo); mix(hi); mix(f & (CF | OF));
            u32 r = a;
            __asm__ volatile("imull %[b], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "+r"(r), [f] "=r"(f) : [b] "r"(b) : "cc");
            mix(r); mix(f & (CF | OF));
            u16 r16 = (u16)a;
            __asm__ volatile("imulw %[b], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "+r"(r16), [f] "=r"(f) : [b] "r"((u16)b) : "cc");
            mix(r16); mix(f & (CF | OF));
            __asm__ volatile("imull $-7, %[b], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "=r"(r), [f] "=r"(f) : [b] "r"(b) : "cc");
            mix(r); mix(f & (CF | OF));
            u32 ax;
            __asm__ volatile("mulb %b[b]\n\tpushfl\n\tpopl %[f]" : "=a"(ax), [f] "=r"(f) : "a"(a), [b] "q"(b) : "cc");
            mix(ax & 0xffff); mix(f & (CF | OF));
            __asm__ volatile("imulb %b[b]\n\tpushfl\n\tpopl %[f]" : "=a"(ax), [f] "=r"(f) : "a"(a), [b] "q"(b) : "cc");
            mix(ax & 0xffff); mix(f & (CF | OF));
            u32 dx;
            __asm__ volatile("mulw %w[b]\n\tpushfl\n\tpopl %[f]" : "=a"(ax), "=d"(dx), [f] "=r"(f) : "a"(a), [b] "r"(b) : "cc");
            mix(ax & 0xffff); mix(dx & 0xffff); mix(f & (CF | OF));
            if (b != 0) {
                u32 hiv = a % b; /* any high half below the divisor gives a quotient that fits */
                __asm__ volatile("divl %[b]" : "=a"(lo), "=d"(hi) : "a"(a), "d"(hiv), [b] "r"(b) : "cc");
                mix(lo); mix(hi);
                if (!(a == 0x80000000u && b == 0xffffffffu)) {
                    __asm__ volatile("cltd\n\tidivl %[b]" : "=a"(lo), "=d"(hi) : "a"(a), [b] "r"(b) : "cc");
                    mix(lo); mix(hi);
                }
                if ((b & 0xff) != 0) {
                    u32 ax16 = ((a % (b & 0xff)) << 8) | (a & 0xff);
                    __asm__ volatile("divb %b[b]" : "=a"(ax) : "a"(ax16), [b] "q"(b) : "cc");
                    mix(ax & 0xffff);
                }
                if ((b & 0xffff) != 0) {
                    u32 hi16 = (a & 0xffff) % (b & 0xffff);
                    __asm__ volatile("divw %w[b]" : "=a"(ax), "=d"(dx) : "a"(a), "d"(hi16), [b] "r"(b) : "cc");
                    mix(ax & 0xffff); mix(dx & 0xffff);
                }
            }
        }
    emit("muldiv", h);
}

/* ---- BCD adjusts ----------------------------------------------------------------------- */
#define DEF_BCD(NAME, INSN)                                                                   \
    static u32 NAME(u32 ax, u32 fin, u32 *fo)                                                 \
    {                                                                                         \
        u32 f;                                                                                \
        __asm__ volatile("pushl %[fin]\n\tpopfl\n\t" INSN "\n\tpushfl\n\tpopl %[f]"           \
                         : "+a"(ax), [f] "=&r"(f) : [fin] "r"(fin) : "cc");                   \
        *fo = f;                                                                              \
        return ax;                                                                            \
    }
DEF_BCD(daa_, "daa") DEF_BCD(das_, "das") DEF_BCD(aaa_, "aaa") DEF_BCD(aas_, "aas")
DEF_BCD(aam10, "aam") DEF_BCD(aam7, "aam $7") DEF_BCD(aad10, "aad") DEF_BCD(aad7, "aad $7")

static void run_bcd(cpucheck_emit emit)
{
    static const u32 fins[4] = { 0x2, 0x2 | CF, 0x2 | AF, 0x2 | CF | AF };
    begin();
    for (u32 al = 0; al < 256; al++)
        for (int k = 0; k < 4; k++) {
            u32 f, r, ax = 0x1200 | al;
            r = daa_(ax, fins[k], &f); mix(r & 0xffff); mix(f & (CF | AF | SF | ZF | PF));
            r = das_(ax, fins[k], &f); mix(r & 0xffff); mix(f & (CF | AF | SF | ZF | PF));
            r = aaa_(ax, fins[k], &f); mix(r & 0xffff); mix(f & (CF | AF));
            r = aas_(ax, fins[k], &f); mix(r & 0xffff); mix(f & (CF | AF));
            r = aam10(ax, fins[k], &f); mix(r & 0xffff); mix(f & (SF | ZF | PF));
            r = aam7(ax, fins[k], &f); mix(r & 0xffff); mix(f & (SF | ZF | PF));
            r = aad10(ax, fins[k], &f); mix(r & 0xffff); mix(f & (SF | ZF | PF));
            r = aad7(ax, fins[k], &f); mix(r & 0xffff); mix(f & (SF | ZF | PF));
        }
    emit("bcd", h);
}

/* ---- bit instructions ------------------------------------------------------------------ */
static void run_bits(cpucheck_emit emit)
{
    static u32 mem[8];
    begin();
    for (u32 i = 0; i < NV; i++) {
        u32 v = vals[i], r, f;
        for (u32 bit = 0; bit < 40; bit++) {
            r = v;
            __asm__ volatile("btl %[b], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "+r"(r), [f] "=r"(f) : [b] "r"(bit) : "cc");
            mix(r); mix(f & CF);
            __asm__ volatile("btsl %[b], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "+r"(r), [f] "=r"(f) : [b] "r"(bit) : "cc");
            mix(r); mix(f & CF);
            __asm__ volatile("btrw %w[b], %w[r]\n\tpushfl\n\tpopl %[f]" : [r] "+r"(r), [f] "=r"(f) : [b] "r"(bit) : "cc");
            mix(r); mix(f & CF);
            __asm__ volatile("btcl $13, %[r]\n\tpushfl\n\tpopl %[f]" : [r] "+r"(r), [f] "=r"(f) : : "cc");
            mix(r); mix(f & CF);
            /* memory forms with a signed register bit offset reach outside the addressed dword */
            for (int k = 0; k < 8; k++)
                mem[k] = v ^ (u32)k * 0x01010101u;
            int off = (int)bit - 20;
            __asm__ volatile("btsl %[b], %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem[4]), [f] "=r"(f) : [b] "r"(off) : "cc", "memory");
            mix(f & CF);
            __asm__ volatile("btcl %[b], %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem[4]), [f] "=r"(f) : [b] "r"(off * 3) : "cc", "memory");
            mix(f & CF);
            for (int k = 0; k < 8; k++)
                mix(mem[k]);
        }
        if (v != 0) {
            __asm__ volatile("bsfl %[s], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "=r"(r), [f] "=r"(f) : [s] "r"(v) : "cc");
            mix(r); mix(f & ZF);
            __asm__ volatile("bsrl %[s], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "=r"(r), [f] "=r"(f) : [s] "r"(v) : "cc");
            mix(r); mix(f & ZF);
        } else {
            __asm__ volatile("bsfl %[s], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "=r"(r), [f] "=r"(f) : [s] "r"(v) : "cc");
            mix(f & ZF);
        }
        __asm__ volatile("bswap %[r]" : [r] "=r"(r) : "0"(v));
        mix(r);
        for (u32 c = 0; c < 32; c++) {
            u32 d = v, s = vals[(i + 7) % NV];
            __asm__ volatile("shldl %%cl, %[s], %[d]\n\tpushfl\n\tpopl %[f]" : [d] "+r"(d), [f] "=r"(f) : [s] "r"(s), "c"(c) : "cc");
            mix(d); mix(f & (c == 0 ? ALL : (CF | SF | ZF | PF | (c == 1 ? OF : 0))));
            d = v;
            __asm__ volatile("shrdl %%cl, %[s], %[d]\n\tpushfl\n\tpopl %[f]" : [d] "+r"(d), [f] "=r"(f) : [s] "r"(s), "c"(c) : "cc");
            mix(d); mix(f & (c == 0 ? ALL : (CF | SF | ZF | PF | (c == 1 ? OF : 0))));
            if (c <= 16) {
                d = v;
                __asm__ volatile("shldw %%cl, %w[s], %w[d]\n\tpushfl\n\tpopl %[f]" : [d] "+r"(d), [f] "=r"(f) : [s] "r"(s), "c"(c) : "cc");
                mix(d); mix(f & (c == 0 ? ALL : (CF | SF | ZF | PF | (c == 1 ? OF : 0))));
                d = v;
                __asm__ volatile("shrdw %%cl, %w[s], %w[d]\n\tpushfl\n\tpopl %[f]" : [d] "+r"(d), [f] "=r"(f) : [s] "r"(s), "c"(c) : "cc");
                mix(d); mix(f & (c == 0 ? ALL : (CF | SF | ZF | PF | (c == 1 ? OF : 0))));
            }
        }
    }
    emit("bits", h);
}

/* ---- SETcc / CMOVcc over every combination of the status flags --------------------------- */
#define SETCC(CC)                                                                             \
    do {                                                                                      \
        u32 r = 0, m = 0x11111111u;                                                           \
        __asm__ volatile("pushl %[fin]\n\tpopfl\n\tset" CC " %b[r]\n\tcmov" CC " %[one], %[m]" \
                         : [r] "+q"(r), [m] "+r"(m) : [fin] "r"(fin), [one] "r"(0x22222222u) : "cc"); \
        mix(r); mix(m);                                                                       \
    } while (0)

static void run_cond(cpucheck_emit emit)
{
    begin();
    for (u32 combo = 0; combo < 64; combo++) {
        u32 fin = 0x2 | ((combo & 1) ? CF : 0) | ((combo & 2) ? PF : 0) | ((combo & 4) ? AF : 0) |
                  ((combo & 8) ? ZF : 0) | ((combo & 16) ? SF : 0) | ((combo & 32) ? OF : 0);
        SETCC("o"); SETCC("no"); SETCC("b"); SETCC("ae"); SETCC("e"); SETCC("ne"); SETCC("be"); SETCC("a");
        SETCC("s"); SETCC("ns"); SETCC("p"); SETCC("np"); SETCC("l"); SETCC("ge"); SETCC("le"); SETCC("g");
        u32 ah;
        __asm__ volatile("pushl %[fin]\n\tpopfl\n\tlahf" : "=a"(ah) : [fin] "r"(fin) : "cc");
        mix((ah >> 8) & 0xd5);
        u32 f;
        __asm__ volatile("sahf\n\tpushfl\n\tpopl %[f]" : [f] "=r"(f) : "a"(combo << 10 | 0x200) : "cc");
        mix(f & (CF | PF | AF | ZF | SF));
    }
    emit("cond", h);
}

/* ---- strings ----------------------------------------------------------------------------- */
static void run_strings(cpucheck_emit emit)
{
    static u8 buf[256];
    begin();
    for (int i = 0; i < 256; i++)
        buf[i] = (u8)(i * 7 + 3);
    for (u32 n = 0; n < 40; n += 3) {
        u32 si = (u32)(buf + 8), di = (u32)(buf + 8 + n), c = n;
        __asm__ volatile("cld\n\trep movsb" : "+S"(si), "+D"(di), "+c"(c) : : "memory");
        mix(si - (u32)buf); mix(di - (u32)buf); mix(c);
        si = (u32)(buf + 100 + n); di = (u32)(buf + 120); c = n / 4 + 1;
        __asm__ volatile("std\n\trep movsl\n\tcld" : "+S"(si), "+D"(di), "+c"(c) : : "memory");
        mix(si - (u32)buf); mix(di - (u32)buf);
        di = (u32)(buf + 200); c = n / 2;
        __asm__ volatile("cld\n\trep stosw" : "+D"(di), "+c"(c) : "a"(0xbeef + n) : "memory");
        mix(di - (u32)buf);
        u32 f;
        si = (u32)buf; di = (u32)(buf + 3); c = 60;
        __asm__ volatile("cld\n\trepe cmpsb\n\tpushfl\n\tpopl %[f]" : "+S"(si), "+D"(di), "+c"(c), [f] "=r"(f) : : "memory", "cc");
        mix(si - (u32)buf); mix(c); mix(f & ALL);
        di = (u32)buf; c = 256;
        __asm__ volatile("cld\n\trepne scasb\n\tpushfl\n\tpopl %[f]" : "+D"(di), "+c"(c), [f] "=r"(f) : "a"(buf[n + 5]) : "memory", "cc");
        mix(di - (u32)buf); mix(c); mix(f & ALL);
        u32 a = 0;
        si = (u32)(buf + n);
        __asm__ volatile("cld\n\tlodsl\n\tlodsw\n\tlodsb" : "+S"(si), "+a"(a) : : "memory");
        mix(a); mix(si - (u32)buf);
    }
    for (int i = 0; i < 256; i += 4)
        mix(*(u32 *)(buf + i));
    emit("strings", h);
}

/* ---- the rest: exchanges, extensions, stack frames, loops ------------------------------- */
static void run_misc(cpucheck_emit emit)
{
    begin();
    for (u32 i = 0; i < NV; i++) {
        u32 v = vals[i], r, f, a;
        /* CMPXCHG, both outcomes */
        u32 mem = v;
        a = v;
        __asm__ volatile("cmpxchgl %[n], %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem), "+a"(a), [f] "=r"(f) : [n] "r"(~v) : "cc", "memory");
        mix(mem); mix(a); mix(f & ALL);
        a = v + 1;
        __asm__ volatile("cmpxchgl %[n], %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem), "+a"(a), [f] "=r"(f) : [n] "r"(v) : "cc", "memory");
        mix(mem); mix(a); mix(f & ALL);
        /* CMPXCHG8B */
        unsigned long long q = ((unsigned long long)v << 32) | (v ^ 0x5555u);
        u32 lo = v ^ 0x5555u, hi = (i & 1) ? v : v + 1;
        __asm__ volatile("cmpxchg8b %[q]\n\tpushfl\n\tpopl %[f]" : [q] "+m"(q), "+a"(lo), "+d"(hi), [f] "=r"(f) : "b"(0x11111111u), "c"(0x22222222u) : "cc", "memory");
        mix((u32)q); mix((u32)(q >> 32)); mix(lo); mix(hi); mix(f & ZF);
        /* extensions */
        __asm__ volatile("movsbl %b[s], %[r]" : [r] "=r"(r) : [s] "q"(v)); mix(r);
        __asm__ volatile("movswl %w[s], %[r]" : [r] "=r"(r) : [s] "r"(v)); mix(r);
        __asm__ volatile("movzbl %b[s], %[r]" : [r] "=r"(r) : [s] "q"(v)); mix(r);
        __asm__ volatile("movzwl %w[s], %[r]" : [r] "=r"(r) : [s] "r"(v)); mix(r);
        r = v;
        __asm__ volatile("cbtw" : "+a"(r)); mix(r);
        r = v;
        __asm__ volatile("cwtl" : "+a"(r)); mix(r);
        u32 d;
        __asm__ volatile("cwtd" : "=d"(d) : "a"(v)); mix(d & 0xffff);
        __asm__ volatile("cltd" : "=d"(d) : "a"(v)); mix(d);
        /* LEA with scale and displacement */
        __asm__ volatile("leal -123(%[a],%[b],4), %[r]" : [r] "=r"(r) : [a] "r"(v), [b] "r"(vals[(i + 3) % NV])); mix(r);
        __asm__ volatile("leaw 7(%[a],%[b],8), %w[r]" : [r] "=r"(r) : [a] "r"(v), [b] "r"(v), "0"(0x12340000u)); mix(r);
        /* XLAT */
        static const u8 table[256] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, [200] = 77, [255] = 99 };
        __asm__ volatile("xlat" : "=a"(r) : "a"(v), "b"(table)); mix(r);
        /* ENTER/LEAVE with nesting levels 0-3: the frame contents and pointers, relative to ESP */
        for (int lvl = 0; lvl < 4; lvl++) {
            u32 out_esp, out_ebp, top;
            __asm__ volatile(
                "pushl %%ebp\n\t"
                "movl %%esp, %%ebp\n\t"
                "movl %%esp, %[top]\n\t"
                "cmpl $0, %[l]\n\tje 0f\n\t"
                "cmpl $1, %[l]\n\tje 1f\n\t"
                "cmpl $2, %[l]\n\tje 2f\n\t"
                "enter $12, $3\n\tjmp 3f\n"
                "0:\tenter $8, $0\n\tjmp 3f\n"
                "1:\tenter $4, $1\n\tjmp 3f\n"
                "2:\tenter $0, $2\n"
                "3:\tmovl %%esp, %[oe]\n\t"
                "movl %%ebp, %[ob]\n\t"
                "leave\n\t"
                "popl %%ebp"
                : [oe] "=&r"(out_esp), [ob] "=&r"(out_ebp), [top] "=&r"(top)
                : [l] "r"(lvl)
                : "memory", "cc");
            mix(top - out_esp); mix(top - out_ebp);
        }
        /* PUSHA/POPA round trip changes nothing but memory below ESP */
        u32 x = v, y = ~v;
        __asm__ volatile("pushal\n\tmovl $0, %%eax\n\tpopal" : "+a"(x), "+c"(y) : : "memory");
        mix(x); mix(y);
        /* LOOP, LOOPE, LOOPNE */
        u32 cnt = (v & 0xff) + 1, iters = 0;
        __asm__ volatile("0:\tincl %[it]\n\tloop 0b" : "+c"(cnt), [it] "+r"(iters) : : "cc");
        mix(iters);
        cnt = 50; iters = 0;
        __asm__ volatile("0:\tincl %[it]\n\tcmpl %[lim], %[it]\n\tloopne 0b" : "+c"(cnt), [it] "+r"(iters) : [lim] "r"(v & 31) : "cc");
        mix(iters); mix(cnt);
    }
    emit("misc", h);
}

void cpucheck_run(cpucheck_emit emit)
{
    run_alu(emit, "add", add8, add16, add32, ALL);
    run_alu(emit, "adc", adc8, adc16, adc32, ALL);
    run_alu(emit, "sub", sub8, sub16, sub32, ALL);
    run_alu(emit, "sbb", sbb8, sbb16, sbb32, ALL);
    run_alu(emit, "and", and8, and16, and32, ALL & ~AF);
    run_alu(emit, "or", or8, or16, or32, ALL & ~AF);
    run_alu(emit, "xor", xor8, xor16, xor32, ALL & ~AF);
    run_alu(emit, "cmp", cmp8, cmp16, cmp32, ALL);
    run_alu(emit, "test", test8, test16, test32, ALL & ~AF);
    run_alu(emit, "xadd", xadd8, xadd16, xadd32, ALL);
    run_alu(emit, "xchg", xchg8, xchg16, xchg32, ALL);
    run_alu(emit, "inc", inc8, inc16, inc32, ALL);
    run_alu(emit, "dec", dec8, dec16, dec32, ALL);
    run_alu(emit, "neg", neg8, neg16, neg32, ALL);
    run_alu(emit, "not", not8, not16, not32, ALL);
    run_shift(emit, "shl", shl8, shl16, shl32, 0, 1);
    run_shift(emit, "shr", shr8, shr16, shr32, 0, 1);
    run_shift(emit, "sar", sar8, sar16, sar32, 0, 0);
    run_shift(emit, "rol", rol8, rol16, rol32, 1, 0);
    run_shift(emit, "ror", ror8, ror16, ror32, 1, 0);
    run_shift(emit, "rcl", rcl8, rcl16, rcl32, 2, 0);
    run_shift(emit, "rcr", rcr8, rcr16, rcr32, 2, 0);
    run_muldiv(emit);
    run_bcd(emit);
    run_bits(emit);
    run_cond(emit);
    run_strings(emit);
    run_misc(emit);
}
