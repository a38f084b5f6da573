using System.Reflection;
using System.Reflection.Emit;

namespace Minix318Emu.Emulator.Processor.Compiler;

/// <summary>
/// The guest's eight general registers as IL locals of one compiled block, tracked at compile
/// time. A register is read from <see cref="CpuState.R"/> into its local at its first use, then
/// used from the local (a host register, once .NET's JIT is done); a write makes the local
/// dirty. Dirty locals go back to R wherever something else may look at R: before an
/// instruction that can fault (a fault must see the interpreter's registers), before a form
/// that works on R itself, and on every way out of the block. After a form that may write R,
/// the locals of the registers it may write are forgotten and read again at their next use.
/// The block's code is straight-line with early exits that return, so one state per point of
/// the instruction sequence is exact.
/// </summary>
internal sealed class RegisterCache
{
    private enum State : byte
    {
        Unloaded, // R holds the value; the local is stale
        Clean,    // local == R
        Dirty,    // the local is newer than R
    }

    private static readonly FieldInfo s_r = typeof(CpuState).GetField(nameof(CpuState.R))
        ?? throw new MissingFieldException(nameof(CpuState), nameof(CpuState.R));

    private readonly ILGenerator _il;
    private readonly LocalBuilder _array;
    private readonly LocalBuilder?[] _locals = new LocalBuilder?[8];
    private readonly State[] _state = new State[8];

    /// <summary>Declares the locals; call where the CPU (argument 1) is known to be non-null.</summary>
    public RegisterCache(ILGenerator il)
    {
        _il = il;
        _array = il.DeclareLocal(typeof(uint[]));
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldfld, s_r);
        il.Emit(OpCodes.Stloc, _array);
    }

    /// <summary>Pushes register <paramref name="reg"/>'s value (0-7: callers skip an absent base or index, <see cref="Reg.None"/>, themselves).</summary>
    public void Load(int reg)
    {
        _il.Emit(OpCodes.Ldloc, Ensure(reg));
    }

    /// <summary>Pushes the address of register <paramref name="reg"/>'s local, for a form that reads it and, if <paramref name="write"/>, writes it (then dirty).</summary>
    public void LoadAddress(int reg, bool write)
    {
        _il.Emit(OpCodes.Ldloca, Ensure(reg));
        if (write)
        {
            _state[reg] = State.Dirty;
        }
    }

    /// <summary>Pops the value on the IL stack into register <paramref name="reg"/>'s local (dirty; R is not read).</summary>
    public void Store(int reg)
    {
        _il.Emit(OpCodes.Stloc, Local(reg));
        _state[reg] = State.Dirty;
    }

    /// <summary>Writes every dirty local back to R; they stay valid (clean).</summary>
    public void Spill()
    {
        EmitWriteBack();
        for (int r = 0; r < 8; r++)
        {
            if (_state[r] == State.Dirty)
            {
                _state[r] = State.Clean;
            }
        }
    }

    /// <summary>Writes every dirty local back to R on a path that leaves the block (the state of the path that goes on is unchanged).</summary>
    public void EmitWriteBack()
    {
        for (int r = 0; r < 8; r++)
        {
            if (_state[r] == State.Dirty)
            {
                _il.Emit(OpCodes.Ldloc, _array);
                _il.Emit(OpCodes.Ldc_I4, r);
                _il.Emit(OpCodes.Ldloc, _locals[r]!);
                _il.Emit(OpCodes.Stelem_I4);
            }
        }
    }

    /// <summary>Forgets the locals of the registers in <paramref name="mask"/> (bit n: register n), which a form has just written in R.</summary>
    public void Forget(int mask)
    {
        for (int r = 0; r < 8; r++)
        {
            if ((mask & (1 << r)) != 0)
            {
                // A form that writes R is only ever emitted after a spill, so nothing dirty is lost here.
                System.Diagnostics.Debug.Assert(_state[r] != State.Dirty);
                _state[r] = State.Unloaded;
            }
        }
    }

    private LocalBuilder Ensure(int reg)
    {
        LocalBuilder l = Local(reg);
        if (_state[reg] == State.Unloaded)
        {
            _il.Emit(OpCodes.Ldloc, _array);
            _il.Emit(OpCodes.Ldc_I4, reg);
            _il.Emit(OpCodes.Ldelem_U4);
            _il.Emit(OpCodes.Stloc, l);
            _state[reg] = State.Clean;
        }
        return l;
    }

    private LocalBuilder Local(int reg) => _locals[reg] ??= _il.DeclareLocal(typeof(uint));
}
