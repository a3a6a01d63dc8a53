using RunEngine.Data.Repositories;

namespace RunEngine.Data.Tests.Resilience;

/// <summary>Scopes that are never opened: the engine only asks whether they may be retried.</summary>
internal sealed class FakeScopes(bool retryable) : IScopeFactory
{
    public bool Retryable { get; } = retryable;

    public ValueTask<OperationScope> BeginAsync(bool write, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The fake body opens no scope.");
}
