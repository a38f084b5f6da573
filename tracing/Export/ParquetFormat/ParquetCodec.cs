namespace Minix318Emu.Tracing.Export.ParquetFormat;

/// <summary>Page compression, with the numbers parquet.thrift gives them.</summary>
internal enum ParquetCodec
{
    /// <summary>Pages stored as encoded.</summary>
    Uncompressed = 0,

    /// <summary>Snappy's raw block format (not the framed one), what most Parquet writers default to.</summary>
    Snappy = 1,
}
