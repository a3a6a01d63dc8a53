namespace RunEngine.Data.WorkerService;

/// <summary>The run the workers drain, created by <see cref="RunSeeder"/> before any worker starts.</summary>
public sealed class RunState
{
    private readonly TaskCompletionSource<Guid> _runId = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _activeWorkers;

    /// <summary>The run's id, once seeded.</summary>
    public Task<Guid> RunId => _runId.Task;

    /// <summary>Called by the seeder.</summary>
    public void Seeded(Guid runId, int workers)
    {
        _activeWorkers = workers;
        _runId.TrySetResult(runId);
    }

    /// <summary>Called by each worker when nothing is left to claim; true for the last one.</summary>
    public bool WorkerFinished() => Interlocked.Decrement(ref _activeWorkers) == 0;

    /// <summary>What stopped a worker (the first failure), reported once by the host's caller; null when none failed.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Called by a worker that cannot go on (for example the database went away); keeps the first failure.</summary>
    public void Fail(Exception exception)
    {
        lock (_runId)
        {
            Failure ??= exception;
        }
    }
}
