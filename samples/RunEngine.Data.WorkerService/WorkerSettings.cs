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

    /// <summary>Lease of a claim; long work renews it at half-time. Default 2 seconds.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Every Nth story is long work (longer than the lease, so it must be renewed). Default 10.</summary>
    public int LongEvery { get; set; } = 10;

    /// <summary>Every Nth story fails (completed with status Failed). Default 13.</summary>
    public int FailEvery { get; set; } = 13;
}
