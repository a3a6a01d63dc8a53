namespace RunEngine.Data.Repositories;

/// <summary>Gives repository operations their connection: a fresh pooled one per operation, or the caller's joined one.</summary>
internal interface IScopeFactory
{
    /// <summary>Opens a scope. With <paramref name="write"/>, the scope has a transaction (the caller's, or its own).</summary>
    ValueTask<OperationScope> BeginAsync(bool write, CancellationToken cancellationToken);

    /// <summary>
    /// Whether an operation on these scopes may be retried: true for the library's own pooled connections, false for a
    /// session's or a caller's connection (their transaction is the caller's to repeat).
    /// </summary>
    bool Retryable { get; }
}
