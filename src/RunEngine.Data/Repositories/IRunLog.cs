namespace RunEngine.Data;

/// <summary>The append-only log of a run's events.</summary>
public interface IRunLog
{
    /// <summary>Appends events in one bulk operation (one transaction; joined sessions use theirs).</summary>
    /// <returns>The number of events written.</returns>
    Task<long> AppendAsync(IEnumerable<RunEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Streams a run's events in the order they were written.</summary>
    IAsyncEnumerable<RunEvent> GetByRunAsync(Guid runId, CancellationToken cancellationToken = default);
}
