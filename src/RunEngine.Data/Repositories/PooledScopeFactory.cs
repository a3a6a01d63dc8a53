using RunEngine.Data.Providers;

namespace RunEngine.Data.Repositories;

/// <summary>Each operation takes a connection from the database's source and, for writes, its own transaction.</summary>
internal sealed class PooledScopeFactory : IScopeFactory
{
    private readonly DatabaseProvider _provider;
    private readonly ConnectionSource _source;

    public PooledScopeFactory(DatabaseProvider provider, ConnectionSource source)
    {
        _provider = provider;
        _source = source;
    }

    public bool Retryable => true;

    public async ValueTask<OperationScope> BeginAsync(bool write, CancellationToken cancellationToken)
    {
        var connection = await _source.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = write ? await _provider.BeginTransactionAsync(connection, cancellationToken).ConfigureAwait(false) : null;
            return new OperationScope(connection, transaction, ownsTransaction: true, _source.ReleaseAsync);
        }
        catch
        {
            await _source.ReleaseAsync(connection).ConfigureAwait(false);
            throw;
        }
    }
}
