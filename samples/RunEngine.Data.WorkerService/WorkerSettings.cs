namespace RunEngine.Data.WorkerService;

/// <summary>The sample's own settings (section <c>Worker</c>); every one can be overridden on the command line.</summary>
public sealed class WorkerSettings
{
    /// <summary>Workers claiming in parallel. Default 4.</summary>
    public int Workers { get; set; } = 4;

    /// <summary>Stories of the run. Default 60.</summary>
    public int Stories { get; set; } = 60;

    /// <summary>Stories claimed per call. Default 3.</summary>
    public int ClaimBatch { get; set; } = 3;

    /// <summary>Lease of a claim; the batch is renewed when the current story's lease is half gone. Default 2 seconds.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Every Nth story is long work (longer than the lease, so it must be renewed). Default 10.</summary>
    public int LongEvery { get; set; } = 10;

    /// <summary>Every Nth story fails (completed with status Failed). Default 13.</summary>
    public int FailEvery { get; set; } = 13;

    /// <summary>Why these settings cannot run (naming the setting), or null when they can.</summary>
    public string? Validate() =>
        Workers < 1 ? "Worker:Workers must be at least 1."
        : Stories < 0 ? "Worker:Stories must not be negative."
        : ClaimBatch is < 1 or > 1_000 ? "Worker:ClaimBatch must be between 1 and 1000."
        : Lease <= TimeSpan.Zero || Lease > TimeSpan.FromDays(7) ? "Worker:Lease must be positive and at most 7 days."
        : LongEvery < 0 || FailEvery < 0 ? "Worker:LongEvery and Worker:FailEvery must not be negative."
        : null;
}
