using Parquet.Schema;

namespace Minix318Emu.Tracing.Export;

/// <summary>The Parquet tables' columns, in file order (the README's schema table lists them with their meaning).</summary>
public static class ParquetSchemas
{
    /// <summary>calls.parquet: one row per traced call.</summary>
    public static readonly ParquetSchema Calls = new(
        new DataField<long>("call_id"),
        new DataField<long>("parent_id"),
        new DataField<long>("entry_time"),
        new DataField<long>("return_time"),
        new DataField<bool>("returned"),
        new DataField<int>("process_id"),
        new DataField<string>("process", false),
        new DataField<int>("endpoint"),
        new DataField<long>("cr3"),
        new DataField<string>("function", false),
        new DataField<string>("family", false),
        new DataField<string>("role", false),
        new DataField<string>("image", false),
        new DataField<long>("size"),
        new DataField<bool>("negative"),
        new DataField<long>("pointer"),
        new DataField<long>("result"),
        new DataField<string>("caller", false),
        new DataField<long>("caller_address"),
        new DataField<int>("stack_id"),
        new DataField<long>("request_id"));

    /// <summary>stacks.parquet: one row per frame of each distinct stack (depth 0 is the innermost frame).</summary>
    public static readonly ParquetSchema Stacks = new(
        new DataField<int>("stack_id"),
        new DataField<int>("depth"),
        new DataField<long>("address"),
        new DataField<string>("symbol", false),
        new DataField<string>("function", false));

    /// <summary>processes.parquet: one row per trace process.</summary>
    public static readonly ParquetSchema Processes = new(
        new DataField<int>("process_id"),
        new DataField<string>("name", false),
        new DataField<int>("endpoint"),
        new DataField<long>("cr3"));
}
