using Minix318Emu.Emulator.Interrupts;
using Minix318Emu.Emulator.Io;

namespace Minix318Emu.Devices.Input;

/// <summary>
/// The i8042 keyboard controller at 0x60 (data) and 0x64 (status/command) with a PS/2
/// keyboard: the command byte, self-tests, the output port (A20 gate, CPU reset through 0xFE),
/// keyboard commands with their ACKs, scan code set 2 translated to set 1 when the command
/// byte says so, and IRQ1; the auxiliary port with a <see cref="Ps2Mouse"/> on it (IRQ 12).
/// </summary>
public sealed partial class I8042Controller : IPortDevice
{
    private const byte StOutputFull = 0x01, StInputFull = 0x02, StSystem = 0x04, StCommand = 0x08, StUnlocked = 0x10, StAuxData = 0x20;
    private const byte CbKbdInt = 0x01, CbAuxInt = 0x02, CbSystem = 0x04, CbKbdDisabled = 0x10, CbAuxDisabled = 0x20, CbTranslate = 0x40;

    private readonly IInterruptLine _irq1;
    private readonly IInterruptLine _irq12;
    private readonly Queue<byte> _output = new();   // keyboard and controller bytes for the host at 0x60
    private readonly Queue<byte> _auxOutput = new(); // mouse bytes for the host at 0x60
    private bool _outputIsAux;                       // the byte in the output buffer came from the mouse
    private readonly Queue<byte> _keyboardQueue = new(); // scan codes (set 2) from typed keys
    private byte _commandByte = CbKbdInt | CbSystem | CbTranslate;
    private byte _status = StSystem | StUnlocked;
    private int _pendingControllerCommand = -1; // a controller command waiting for its data byte
    private int _pendingKeyboardCommand = -1;   // a keyboard command waiting for its argument
    private byte _outputPort = 0x03;            // bit 0: no reset, bit 1: A20 on
    private int _scanSet = 2;
    private bool _scanning = true;
    private bool _break;                        // translation state: an F0 prefix was seen

    /// <summary>Creates the controller with the keyboard's IRQ line.</summary>
    public I8042Controller(IInterruptLine irq1, IInterruptLine? irq12 = null)
    {
        _irq1 = irq1;
        _irq12 = irq12 ?? UnconnectedLine.Instance;
        Mouse = new Ps2Mouse(AuxReply);
    }

    /// <summary>The PS/2 mouse on the auxiliary port (IRQ 12).</summary>
    public Ps2Mouse Mouse { get; }

    /// <summary>Called when the guest sets the A20 gate through the output port.</summary>
    public Action<bool>? A20Changed { get; set; }

    /// <summary>Called when the guest pulses the reset line.</summary>
    public Action? ResetRequested { get; set; }

    /// <summary>Registers ports 0x60 and 0x64.</summary>
    public void Attach(IoBus bus)
    {
        bus.Register(0x60, 1, this);
        bus.Register(0x64, 1, this);
    }

    /// <summary>Queues scan codes (set 2) as if keys were pressed; they reach the guest one at a time.</summary>
    public void TypeScanCodes(ReadOnlySpan<byte> set2)
    {
        foreach (byte b in set2)
        {
            _keyboardQueue.Enqueue(b);
        }
        Pump();
    }

    /// <summary>Types text: each character's make and break codes (set 2) for the characters <see cref="ScanCodes"/> knows.</summary>
    public void TypeText(string text)
    {
        foreach (char c in text)
        {
            TypeScanCodes(ScanCodes.Set2(c));
        }
    }

    /// <inheritdoc/>
    public uint Read(ushort port, int size)
    {
        if (port == 0x64)
        {
            return _status;
        }
        byte v = _outputBuffer;
        _status &= unchecked((byte)~(StOutputFull | StAuxData));
        _irq1.Set(false);
        _irq12.Set(false);
        Pump();
        return v;
    }

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        byte v = (byte)value;
        if (port == 0x64)
        {
            _status |= StCommand;
            ControllerCommand(v);
        }
        else
        {
            _status &= unchecked((byte)~StCommand);
            DataWrite(v);
        }
        Pump();
    }

    private void ControllerCommand(byte cmd)
    {
        if (cmd >= 0x20 && cmd <= 0x3F)
        {
            Reply(cmd == 0x20 ? _commandByte : (byte)0); // read controller RAM (0x20 is the command byte)
            return;
        }
        switch (cmd)
        {
            case 0x60: // write command byte
            case 0xD1: // write output port
            case 0xD2: // write keyboard output buffer
            case 0xD3: // write auxiliary output buffer
            case 0xD4: // write to auxiliary device
                _pendingControllerCommand = cmd;
                break;
            case 0xA7: // disable aux
                _commandByte |= CbAuxDisabled;
                break;
            case 0xA8: // enable aux
                _commandByte &= unchecked((byte)~CbAuxDisabled);
                break;
            case 0xA9: // test aux port: 0 = passed
            case 0xAB: // test keyboard port
                Reply(0x00);
                break;
            case 0xAA: // controller self-test
                _status |= StSystem;
                Reply(0x55);
                break;
            case 0xAD:
                _commandByte |= CbKbdDisabled;
                break;
            case 0xAE:
                _commandByte &= unchecked((byte)~CbKbdDisabled);
                break;
            case 0xC0: // read input port: keyboard not inhibited, colour display
                Reply(0xBF);
                break;
            case 0xD0: // read output port (bit 4: keyboard buffer full, bit 5: aux buffer full)
                Reply((byte)(_outputPort | ((_status & StOutputFull) != 0 ? (_outputIsAux ? 0x20 : 0x10) : 0)));
                break;
            default:
                if (cmd >= 0xF0)
                {
                    // Pulse output lines: bit 0 low pulses the CPU reset line.
                    if ((cmd & 1) == 0)
                    {
                        ResetRequested?.Invoke();
                    }
                }
                break;
        }
    }

    private void DataWrite(byte v)
    {
        if (_pendingControllerCommand >= 0)
        {
            int cmd = _pendingControllerCommand;
            _pendingControllerCommand = -1;
            switch (cmd)
            {
                case 0x60:
                    _commandByte = v;
                    _status = (byte)((_status & ~StSystem) | (v & CbSystem));
                    UpdateIrq();
                    return;
                case 0xD1:
                    SetOutputPort(v);
                    return;
                case 0xD2:
                    Reply(v);
                    return;
                case 0xD3:
                    AuxReply(v); // as if the mouse had sent it
                    return;
                case 0xD4:
                    _commandByte &= unchecked((byte)~CbAuxDisabled); // writing to the mouse enables its clock
                    Mouse.Receive(v);
                    return;
            }
        }
        KeyboardCommand(v);
    }

    private void SetOutputPort(byte v)
    {
        bool a20 = (v & 0x02) != 0;
        if (a20 != ((_outputPort & 0x02) != 0))
        {
            A20Changed?.Invoke(a20);
        }
        _outputPort = v;
        if ((v & 0x01) == 0)
        {
            ResetRequested?.Invoke();
        }
    }

    /// <summary>A byte for the keyboard itself (PS/2 keyboard command set).</summary>
    private void KeyboardCommand(byte v)
    {
        if (_pendingKeyboardCommand >= 0)
        {
            int cmd = _pendingKeyboardCommand;
            _pendingKeyboardCommand = -1;
            if (cmd == 0xF0)
            {
                if (v == 0)
                {
                    Reply(0xFA);
                    Reply((byte)_scanSet);
                    return;
                }
                if (v is >= 1 and <= 3)
                {
                    _scanSet = v;
                }
            }
            Reply(0xFA); // LEDs, typematic rate, scan code set: acknowledged
            return;
        }
        switch (v)
        {
            case 0xFF: // reset and self-test
                _scanning = true;
                _scanSet = 2;
                _keyboardQueue.Clear();
                Reply(0xFA);
                Reply(0xAA);
                break;
            case 0xF2: // identify: MF2 keyboard
                Reply(0xFA);
                Reply(0xAB);
                Reply((_commandByte & CbTranslate) != 0 ? (byte)0x41 : (byte)0x83);
                break;
            case 0xF4:
                _scanning = true;
                Reply(0xFA);
                break;
            case 0xF5:
                _scanning = false;
                Reply(0xFA);
                break;
            case 0xF6:
                _scanSet = 2;
                Reply(0xFA);
                break;
            case 0xEE: // echo
                Reply(0xEE);
                break;
            case 0xED: // set LEDs
            case 0xF3: // set typematic rate
            case 0xF0: // get/set scan code set
                _pendingKeyboardCommand = v;
                Reply(0xFA);
                break;
            default:
                Reply(0xFE); // resend: unknown command
                break;
        }
    }

    /// <summary>A reply byte for the host (command responses pass the translation unchanged: they are above 0x7F or not scan codes).</summary>
    private void Reply(byte v)
    {
        _output.Enqueue(v);
        Pump();
    }

    /// <summary>A byte from the mouse for the host.</summary>
    private void AuxReply(byte v)
    {
        _auxOutput.Enqueue(v);
        Pump();
    }

    private byte _outputBuffer;

    /// <summary>Moves the next byte into the output buffer when it is free (controller and keyboard bytes first, then the mouse's), and raises IRQ1 or IRQ12.</summary>
    private void Pump()
    {
        if ((_status & StOutputFull) == 0 && _output.Count == 0 && _keyboardQueue.Count > 0
            && _scanning && (_commandByte & CbKbdDisabled) == 0)
        {
            byte code = _keyboardQueue.Dequeue();
            if ((_commandByte & CbTranslate) != 0)
            {
                if (code == 0xF0)
                {
                    _break = true;
                    Pump(); // the F0 prefix itself is swallowed by translation
                    return;
                }
                byte set1 = ScanCodes.TranslateToSet1(code);
                if (_break)
                {
                    set1 |= 0x80;
                    _break = false;
                }
                code = set1;
            }
            _output.Enqueue(code);
        }
        if ((_status & StOutputFull) == 0)
        {
            if (_output.Count > 0)
            {
                _outputBuffer = _output.Dequeue();
                _outputIsAux = false;
                _status |= StOutputFull;
            }
            else if (_auxOutput.Count > 0 && (_commandByte & CbAuxDisabled) == 0)
            {
                _outputBuffer = _auxOutput.Dequeue();
                _outputIsAux = true;
                _status |= StOutputFull | StAuxData;
            }
            UpdateIrq();
        }
    }

    private void UpdateIrq()
    {
        bool full = (_status & StOutputFull) != 0;
        _irq1.Set(full && !_outputIsAux && (_commandByte & CbKbdInt) != 0);
        _irq12.Set(full && _outputIsAux && (_commandByte & CbAuxInt) != 0);
    }
}
