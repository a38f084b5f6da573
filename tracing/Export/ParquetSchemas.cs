using Parquet.Schema;

namespace Minix318Emu.Tracing.Export;

/// <summary>The small Parquet tables' columns, in file order, for Parquet.Net (calls.parquet's are <see cref="CallRowGroup.Schema"/>; the README's schema table lists them all).</summary>
public static class ParquetSchemas
{
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
