using System.Text.Json.Serialization;

namespace RunEngine.Data.Perf.Lifecycle;

/// <summary>One cell of the lifecycle workload: one method processing one run of S × C on one database with W workers claiming K.</summary>
internal sealed record LifecycleCell
{
    [JsonPropertyOrder(-10)]
    public string Workload => "lifecycle";

    public required string Database { get; init; }

    public required string Method { get; init; }

    public required int Stories { get; init; }

    /// <summary>Cards per story (<c>--cards</c>).</summary>
    public required int Cards { get; init; }

    public long TotalCards => (long)Stories * Cards;

    public required int Workers { get; init; }

    /// <summary>Stories per claim (<c>--claim</c>, K).</summary>
    public required int Claim { get; init; }

    /// <summary>Whether the cell belongs to the K/C grid (statements per batch checked, fewer stories, one timed run).</summary>
    public bool Grid { get; init; }

    public int Repetitions { get; init; }

    /// <summary>Untimed warm-up runs before the timed ones (until a run compiled few methods: the JIT had settled).</summary>
    public int WarmupRuns { get; init; }

    /// <summary>Methods the JIT compiled (or recompiled) during each timed run, in run order.</summary>
    public IReadOnlyList<long> JitPerRun { get; init; } = [];

    public double MedianMs { get; init; }

    public double MinMs { get; init; }

    public double MaxMs { get; init; }

    /// <summary>Process CPU time (all threads) of the median run, in milliseconds.</summary>
    public double CpuMs { get; init; }

    /// <summary>Statements of the whole run, counted in the untimed counting run; null when nothing could count them.</summary>
    public long? Statements { get; init; }

    public double? StatementsPerStory => Statements is { } s ? (double)s / Stories : null;

    /// <summary>Worker batches (claims that returned stories) in the counting run.</summary>
    public int Batches { get; init; }

    /// <summary>Statements of one worker's last, empty claim (and its connection setup), counted apart on the finished run.</summary>
    public long? IdleStatements { get; init; }

    /// <summary>(statements − workers × idle) ÷ batches: what one claimed batch costs, the workers' final empty claims left out.</summary>
    public double? StatementsPerBatch => Statements is { } s && IdleStatements is { } idle && Batches > 0 ? (double)(s - (Workers * idle)) / Batches : null;

    public string? StatementSource { get; init; }

    /// <summary>per-row's median ÷ this one's, same database and run shape.</summary>
    public double? SpeedupVsPerRow { get; set; }

    /// <summary>per-row's statements ÷ this one's.</summary>
    public double? FewerStatementsVsPerRow { get; set; }

    public bool Failed { get; init; }

    public string? Note { get; init; }
}
