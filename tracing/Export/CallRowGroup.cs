using Minix318Emu.Tracing.Export.ParquetFormat;
using Minix318Emu.Tracing.Model;

namespace Minix318Emu.Tracing.Export;

/// <summary>
/// One row group of calls.parquet as plain arrays, one per column or per dictionary index,
/// filled from the calls in one pass and then encoded column by column (in parallel: the
/// columns are independent).
/// </summary>
internal sealed class CallRowGroup
{
    /// <summary>calls.parquet's columns, in file order (the README's schema table says what each holds).</summary>
    public static readonly ParquetColumn[] Schema =
    [
        new("call_id", ParquetType.Int64),
        new("parent_id", ParquetType.Int64),
        new("entry_time", ParquetType.Int64),
        new("return_time", ParquetType.Int64),
        new("returned", ParquetType.Boolean),
        new("process_id", ParquetType.Int32),
        new("process", ParquetType.String),
        new("endpoint", ParquetType.Int32),
        new("cr3", ParquetType.Int64),
        new("function", ParquetType.String),
        new("family", ParquetType.String),
        new("role", ParquetType.String),
        new("image", ParquetType.String),
        new("size", ParquetType.Int64),
        new("negative", ParquetType.Boolean),
        new("pointer", ParquetType.Int64),
        new("result", ParquetType.Int64),
        new("caller", ParquetType.String),
        new("caller_address", ParquetType.Int64),
        new("stack_id", ParquetType.Int32),
        new("request_id", ParquetType.Int64),
    ];

    private readonly long[] _id, _parent, _entry, _exit, _size, _pointer, _result, _request;
    private readonly bool[] _returned, _negative;
    private readonly int[] _function, _process, _caller, _stack;
    private byte[] _callerSymbols = [], _callerAddresses = [];
    private int _callers;

    public CallRowGroup(int capacity)
    {
        _id = new long[capacity];
        _parent = new long[capacity];
        _entry = new long[capacity];
        _exit = new long[capacity];
        _size = new long[capacity];
        _pointer = new long[capacity];
        _result = new long[capacity];
        _request = new long[capacity];
        _returned = new bool[capacity];
        _negative = new bool[capacity];
        _function = new int[capacity];
        _process = new int[capacity];
        _caller = new int[capacity];
        _stack = new int[capacity];
    }

    /// <summary>Rows filled.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Fills the rows from calls [<paramref name="start"/>, <paramref name="end"/>), adding new
    /// callers and stacks to the tables, and keeps the caller dictionary as it stands after
    /// them (later row groups only add to it).
    /// </summary>
    public void Fill(IReadOnlyList<TraceCall> calls, int start, int end, CallDictionaries d, StackTable stacks)
    {
        int n = end - start;
        for (int i = 0; i < n; i++)
        {
            TraceCall c = calls[start + i];
            _id[i] = c.Id;
            _parent[i] = c.Parent;
            _entry[i] = (long)c.Entry;
            _exit[i] = (long)c.Exit;
            _returned[i] = c.Returned;
            _process[i] = d.Process(c.Process);
            _function[i] = d.Function(c.Function);
            _size[i] = (long)c.Size;
            _negative[i] = c.Negative;
            _pointer[i] = c.Pointer;
            _result[i] = c.Result;
            _caller[i] = d.Caller(c.Caller);
            _stack[i] = stacks.Id(c.Stack);
            _request[i] = c.Request;
        }
        Count = n;
        _callerSymbols = d.CallerSymbols.Span.ToArray();
        _callerAddresses = d.CallerAddresses.Span.ToArray();
        _callers = d.CallerSymbols.Count;
    }

    /// <summary>The row group's column chunks, in <see cref="Schema"/> order.</summary>
    public ColumnChunk[] Encode(CallDictionaries d, ParquetCodec codec)
    {
        int n = Count;
        var chunks = new ColumnChunk[Schema.Length];
        EncodedIndices? processes = null, functions = null, callers = null;
        // The three shared index pages first, then every column; each a work item.
        Parallel.Invoke(
            () => processes = new EncodedIndices(_process.AsSpan(0, n), d.ProcessIds.Count, codec),
            () => functions = new EncodedIndices(_function.AsSpan(0, n), d.Functions.Count, codec),
            () => callers = new EncodedIndices(_caller.AsSpan(0, n), _callers, codec));
        Parallel.For(0, Schema.Length, k =>
        {
            ParquetColumn col = Schema[k];
            chunks[k] = k switch
            {
                0 => ColumnChunk.Plain<long>(col, codec, _id.AsSpan(0, n)),
                1 => ColumnChunk.Plain<long>(col, codec, _parent.AsSpan(0, n)),
                2 => ColumnChunk.Plain<long>(col, codec, _entry.AsSpan(0, n)),
                3 => ColumnChunk.Plain<long>(col, codec, _exit.AsSpan(0, n)),
                4 => ColumnChunk.Booleans(col, codec, _returned.AsSpan(0, n)),
                5 => ColumnChunk.Dictionary(col, codec, d.ProcessIds.Span, d.ProcessIds.Count, processes!),
                6 => ColumnChunk.Dictionary(col, codec, d.ProcessNames.Span, d.ProcessNames.Count, processes!),
                7 => ColumnChunk.Dictionary(col, codec, d.Endpoints.Span, d.Endpoints.Count, processes!),
                8 => ColumnChunk.Dictionary(col, codec, d.Cr3s.Span, d.Cr3s.Count, processes!),
                9 => ColumnChunk.Dictionary(col, codec, d.Functions.Span, d.Functions.Count, functions!),
                10 => ColumnChunk.Dictionary(col, codec, d.Families.Span, d.Families.Count, functions!),
                11 => ColumnChunk.Dictionary(col, codec, d.Roles.Span, d.Roles.Count, functions!),
                12 => ColumnChunk.Dictionary(col, codec, d.Images.Span, d.Images.Count, functions!),
                13 => ColumnChunk.Plain<long>(col, codec, _size.AsSpan(0, n)),
                14 => ColumnChunk.Booleans(col, codec, _negative.AsSpan(0, n)),
                15 => ColumnChunk.Plain<long>(col, codec, _pointer.AsSpan(0, n)),
                16 => ColumnChunk.Plain<long>(col, codec, _result.AsSpan(0, n)),
                17 => ColumnChunk.Dictionary(col, codec, _callerSymbols, _callers, callers!),
                18 => ColumnChunk.Dictionary(col, codec, _callerAddresses, _callers, callers!),
                19 => ColumnChunk.Plain<int>(col, codec, _stack.AsSpan(0, n)),
                _ => ColumnChunk.Plain<long>(col, codec, _request.AsSpan(0, n)),
            };
        });
        return chunks;
    }
}
