namespace RunEngine.Data.Perf.Measurement;

/// <summary>One cell of the results: one method writing one size on one database.</summary>
internal sealed record Measurement
{
    public required string Database { get; init; }

    public required string Method { get; init; }

    /// <summary>Cards per cycle (the size named on the command line).</summary>
    public required int Cards { get; init; }

    /// <summary>Rows written per cycle: cards plus their stories.</summary>
    public required long Rows { get; init; }

    /// <summary>Timed repetitions (after the untimed warm-up and counting runs); 0 when skipped.</summary>
    public int Repetitions { get; init; }

    public double MedianMs { get; init; }

    public double MinMs { get; init; }

    public double MaxMs { get; init; }

    /// <summary>Process CPU time (all threads, user and kernel) of the median run, in milliseconds: wall time minus this is waiting (network, disk, server).</summary>
    public double CpuMs { get; init; }

    public double RowsPerSecond => MedianMs > 0 ? Rows / (MedianMs / 1000.0) : 0;

    /// <summary>Statements counted in the counting run; null when nothing could count them.</summary>
    public long? Statements { get; init; }

    public string? StatementSource { get; init; }

    /// <summary>Managed bytes allocated per row (all threads, median of the timed runs).</summary>
    public double BytesPerRow { get; init; }

    /// <summary>How many times faster than <c>naive</c> at the same size; null when naive was not measured there.</summary>
    public double? SpeedupVsNaive { get; set; }

    /// <summary>This method's time divided by <c>raw-limit</c>'s at the same size (1.0 = the ceiling).</summary>
    public double? TimeVsRawLimit { get; set; }

    public bool Skipped { get; init; }

    public string? Note { get; init; }
}
