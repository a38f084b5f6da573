using Iced.Intel;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// The decode-once cache: blocks keyed by the physical address of their first byte and the
/// code size, looked up through a direct-mapped array in front of a dictionary. Writes to a
/// page that holds code arrive from <see cref="Memory.PhysicalMemory"/> and invalidate every
/// block on that page.
/// </summary>
public sealed partial class Cpu
{
    private const int FastBlockBits = 14;

    private readonly Dictionary<ulong, Block> _blocks = new();
    private readonly Dictionary<uint, CodePage> _codePages = new();
    private readonly Block?[] _fastBlocks = new Block?[1 << FastBlockBits];
    private readonly FetchReader _fetch = new();
    private readonly Decoder _decoder16;
    private readonly Decoder _decoder32;
    private readonly DecodedOp[] _scratch = new DecodedOp[Block.MaxOps];

    /// <summary>How many blocks have been decoded (for statistics and benchmarks).</summary>
    public long BlocksDecoded { get; private set; }

    /// <summary>How many blocks were invalidated by writes to code.</summary>
    public long BlocksInvalidated { get; private set; }

    /// <summary>Linear addresses at which execution must stop for a hook before the instruction runs.</summary>
    private readonly HashSet<uint> _hookAddresses = new();   // blocks start at these: the external hooks and the instruction breakpoints

    private static Decoder CreateDecoder(int bitness, FetchReader reader) => Decoder.Create(bitness, reader, DecoderOptions.None);

    private Block GetBlock(uint linEip, bool code32)
    {
        Counters.Lookups++;
        uint phys = FetchTranslate(linEip);
        uint h = (phys ^ (phys >> FastBlockBits)) & ((1u << FastBlockBits) - 1);
        Block? b = _fastBlocks[h];
        if (b is not null && b.Phys == phys && b.Code32 == code32 && b.Valid)
        {
            Counters.FastLookupHits++;
        }
        else
        {
            ulong key = phys | (code32 ? 1ul << 32 : 0);
            if (!_blocks.TryGetValue(key, out b))
            {
                b = DecodeBlock(linEip, phys, code32);
                _blocks[key] = b;
            }
            _fastBlocks[h] = b;
        }
        if (b.CrossesPage && !SecondPageStillMapped(b, linEip))
        {
            // The second page maps elsewhere now: its bytes are another instruction.
            b = DecodeBlock(linEip, phys, code32);
            _blocks[phys | (code32 ? 1ul << 32 : 0)] = b;
            _fastBlocks[h] = b;
        }
        return b;
    }

    /// <summary>
    /// The fetch of a block's crossing instruction from its second page, as the CPU makes it at
    /// every execution (a block that crosses a page is that one instruction: see
    /// <see cref="DecodeBlock"/>): whether the page still maps where the block was decoded from.
    /// </summary>
    private bool SecondPageStillMapped(Block b, uint linEip) => FetchTranslate((linEip | 0xFFF) + 1) >> 12 == b.LastPhysPage;

    /// <summary>Translates a code address for execution, through the read TLB.</summary>
    private uint FetchTranslate(uint lin)
    {
        uint i = (uint)_tlbBase + ((lin >> 12) & TlbMask);
        if (_tlbRTag[i] == Tag(lin))
        {
            return (uint)_tlbHost[i] + (lin & 0xFFF);
        }
        return Translate(lin, AccessExec, UserAccess);
    }

    private Block DecodeBlock(uint linStart, uint physStart, bool code32)
    {
        Decoder decoder = code32 ? _decoder32 : _decoder16;
        uint csLimitEnd = Seg[SegReg.Cs].Limit;
        uint csBase = Seg[SegReg.Cs].Base;
        int count = 0;
        uint lin = linStart;
        uint phys = physStart;
        uint lastPage = physStart >> 12;
        int firstPageEnd = (int)(physStart & 0xFFF), nextPageBytes = 0; // the code bytes decoded on each page
        while (count < Block.MaxOps)
        {
            if (count > 0 && _hookAddresses.Count > 0 && _hookAddresses.Contains(lin))
            {
                break;
            }
            // Fill up to 15 bytes: the rest of this page, then the next page if the instruction may cross.
            int inPage = 0x1000 - (int)(phys & 0xFFF);
            int n = Math.Min(15, inPage);
            _fetch.Reset();
            for (int k = 0; k < n; k++)
            {
                _fetch.Add(_mem.Read8(phys + (uint)k));
            }
            uint nextPhys = 0;
            bool crossChecked = false;
            if (n < 15)
            {
                // The next page may be unmapped; only fault for it if the instruction really needs its bytes.
                // Looked at without side effects: whether a block is being decoded here depends on
                // what the block cache holds, which a resumed run starts empty, so a walk that set
                // accessed bits, filled the TLB or wrote CR2 for a fault it then swallowed made the
                // resumed machine drift from the uninterrupted one (the real MINIX: CR2 differed 1 M
                // instructions after a resume, a page fault later the guest ran a tick off).
                if (PeekCodePage((lin + (uint)n) & 0xFFFF_F000, out nextPhys))
                {
                    for (int k = n; k < 15; k++)
                    {
                        _fetch.Add(_mem.Read8(nextPhys + (uint)(k - n)));
                    }
                    crossChecked = true;
                }
            }
            uint eipOffset = lin - csBase;
            decoder.IP = eipOffset;
            decoder.Decode(out Instruction ins);
            if (ins.IsInvalid && decoder.LastError == DecoderError.NoMoreBytes && n < 15 && !crossChecked)
            {
                if (count > 0)
                {
                    break;
                }
                // The instruction runs into an unmapped page: the fetch faults there.
                Translate((lin + (uint)n) & 0xFFFF_F000, AccessExec, UserAccess);
            }
            if (count > 0 && eipOffset + (uint)ins.Length - 1 > csLimitEnd)
            {
                break; // let the next block entry raise #GP for the CS limit at this instruction
            }
            bool crosses = ins.Length > inPage;
            if (crosses)
            {
                if (count > 0)
                {
                    break; // an instruction that crosses a page starts its own block, whose every execution fetches the second page
                }
                nextPhys = Translate((lin + (uint)n) & 0xFFFF_F000, AccessExec, UserAccess); // the fetch: #PF here if it may not run
            }
            _scratch[count] = InstructionDecoder.Decode(in ins, _fastPaths);
            if (InstructionTable.Of(ins.Code).IsX87)
            {
                _scratch[count].Imm = _fetch.X87Opcode(); // FOP, saved by FNSTENV/FNSAVE/FXSAVE
            }
            count++;
            firstPageEnd = (int)(phys & 0xFFF) + Math.Min(ins.Length, inPage);
            if (crosses)
            {
                lastPage = nextPhys >> 12;
                nextPageBytes = ins.Length - inPage;
            }
            if (crosses || InstructionDecoder.EndsBlock(in ins))
            {
                break;
            }
            lin += (uint)ins.Length;
            phys += (uint)ins.Length;
            if ((phys & 0xFFF) == 0 || ins.Length == inPage)
            {
                break;
            }
        }
        var ops = new DecodedOp[count];
        Array.Copy(_scratch, ops, count);
        var block = new Block(physStart, code32, ops, count, lastPage, linStart, _hookAddresses.Count > 0 && _hookAddresses.Contains(linStart));
        RegisterBlockPage(physStart >> 12, block, (int)(physStart & 0xFFF), firstPageEnd);
        if (lastPage != physStart >> 12)
        {
            RegisterBlockPage(lastPage, block, 0, nextPageBytes);
        }
        BlocksDecoded++;
        return block;
    }

    /// <summary>
    /// The physical address of code page <paramref name="lin"/>, from the TLB or a walk that
    /// changes nothing; false when it is not mapped. Privilege is left to the real fetch, made
    /// only if an instruction does cross into the page.
    /// </summary>
    private bool PeekCodePage(uint lin, out uint phys)
    {
        uint i = (uint)_tlbBase + ((lin >> 12) & TlbMask);
        if (_tlbRTag[i] == Tag(lin))
        {
            phys = (uint)_tlbHost[i] + (lin & 0xFFF);
            return true;
        }
        return TryTranslate(lin, out phys);
    }

    private void RegisterBlockPage(uint page, Block block, int start, int end)
    {
        if (!_codePages.TryGetValue(page, out var cp))
        {
            cp = new CodePage();
            _codePages[page] = cp;
        }
        cp.Blocks.Add(block);
        cp.Mark(start, end);
        if (!_mem.IsCodePage(page << 12))
        {
            _mem.SetCodePage(page << 12, true);
            FlushTlbWritesTo(page);
        }
    }

    /// <summary>
    /// A write of <paramref name="size"/> bytes at <paramref name="addr"/> reached <paramref name="page"/>,
    /// which holds decoded code. Only a write to bytes that blocks were decoded from
    /// invalidates them (as QEMU tracks code per byte range): before, any write to the page did,
    /// and a loop storing to a global beside its own code decoded itself again every iteration.
    /// </summary>
    private void OnCodeWritten(uint page, uint addr, int size)
    {
        if (!_codePages.TryGetValue(page, out var cp))
        {
            _mem.SetCodePage(page << 12, false);
            return;
        }
        if (!cp.Overlaps((int)addr - (int)(page << 12), size))
        {
            return; // data beside the code: the page stays marked, so later writes are checked too
        }
        _codePages.Remove(page);
        _mem.SetCodePage(page << 12, false);
        _exitBlock = true; // the running block may be one of these: stop using it after this instruction
        foreach (Block b in cp.Blocks)
        {
            if (b.Valid)
            {
                b.Valid = false;
                BlocksInvalidated++;
                _blocks.Remove(b.Phys | (b.Code32 ? 1ul << 32 : 0));
            }
        }
    }

    /// <summary>Drops every decoded block (hooks changed, reset).</summary>
    internal void InvalidateAllBlocks()
    {
        foreach (var cp in _codePages.Values)
        {
            foreach (Block b in cp.Blocks)
            {
                b.Valid = false;
            }
        }
        foreach (uint page in _codePages.Keys)
        {
            _mem.SetCodePage(page << 12, false);
        }
        _codePages.Clear();
        _blocks.Clear();
        Array.Clear(_fastBlocks);
    }

    private bool _fastPaths = true;

    /// <summary>
    /// Whether hot 32-bit instruction forms are decoded into specialised cases (<see cref="OpForm"/>).
    /// On by default; tests turn it off to check both paths give the same results.
    /// </summary>
    public bool FastPathsEnabled
    {
        get => _fastPaths;
        set
        {
            if (_fastPaths != value)
            {
                _fastPaths = value;
                InvalidateAllBlocks();
            }
        }
    }

    /// <summary>Where execution stops or is observed before an instruction: the tracer's hooks, GDB's breakpoints, ...</summary>
    public ExecutionHooks Hooks { get; }

    /// <summary>The hooked addresses are the registry's and the armed instruction breakpoints'; blocks are decoded again when they change.</summary>
    private void RebuildHooks()
    {
        var wanted = new HashSet<uint>(Hooks.Addresses);
        for (int n = 0; n < 4; n++)
        {
            if ((_drExecMask & (1 << n)) != 0)
            {
                wanted.Add(_drExec[n]);
            }
        }
        if (!wanted.SetEquals(_hookAddresses))
        {
            _hookAddresses.Clear();
            _hookAddresses.UnionWith(wanted);
            InvalidateAllBlocks();
        }
    }

    /// <summary>An Iced code reader over a small buffer refilled before each instruction.</summary>
    private sealed class FetchReader : CodeReader
    {
        private readonly byte[] _buf = new byte[16];
        private int _len, _pos;

        public void Reset() => _len = _pos = 0;

        public void Add(byte b) => _buf[_len++] = b;

        public override int ReadByte() => _pos < _len ? _buf[_pos++] : -1;

        /// <summary>The x87 opcode of the instruction in the buffer: the low three bits of its D8-DF byte, then the ModR/M byte.</summary>
        public ushort X87Opcode()
        {
            int i = 0;
            while (i < _len - 1 && _buf[i] is 0x26 or 0x2E or 0x36 or 0x3E or 0x64 or 0x65 or 0x66 or 0x67 or 0xF0 or 0xF2 or 0xF3 or 0x9B)
            {
                i++;
            }
            return i + 1 < _len ? (ushort)(((_buf[i] & 7) << 8) | _buf[i + 1]) : (ushort)0;
        }
    }
}
