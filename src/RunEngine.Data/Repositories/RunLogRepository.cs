namespace RunEngine.Data.Repositories;

/// <summary><see cref="IRunLog"/> over one scope factory.</summary>
internal sealed class RunLogRepository : IRunLog
{
    private readonly IScopeFactory _scopes;
    private readonly EntityStore<RunEvent> _events;

    public RunLogRepository(IScopeFactory scopes, EntityStore<RunEvent> events)
    {
        _scopes = scopes;
        _events = events;
    }

    public Task<long> AppendAsync(IEnumerable<RunEvent> events, CancellationToken cancellationToken = default) =>
        _events.AddRangeAsync(_scopes, events, null, cancellationToken);

    public IAsyncEnumerable<RunEvent> GetByRunAsync(Guid runId, CancellationToken cancellationToken = default) =>
        _events.QueryAsync(_scopes, _events.Statements.SelectByRun, new { RunId = runId }, cancellationToken);
}
