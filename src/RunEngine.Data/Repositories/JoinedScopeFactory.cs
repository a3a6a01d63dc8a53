using System.Data;
using System.Data.Common;
using RunEngine.Data.Providers;

namespace RunEngine.Data.Repositories;

/// <summary>
/// Operations run on a connection the caller owns, inside the caller's transaction when there is one. Without a
/// transaction, each write gets its own transaction on that connection.
/// </summary>
internal sealed class JoinedScopeFactory : IScopeFactory
{
    private readonly DatabaseProvider _provider;
    private readonly DbConnection _connection;
    private readonly Func<DbTransaction?> _transaction;

    public JoinedScopeFactory(DatabaseProvider provider, DbConnection connection, Func<DbTransaction?> transaction)
    {
        _provider = provider;
        _connection = connection;
        _transaction = transaction;
    }

    public bool Retryable => false;

    public async ValueTask<OperationScope> BeginAsync(bool write, CancellationToken cancellationToken)
    {
        if (_connection.State != ConnectionState.Open)
        {
            throw new InvalidOperationException("The joined connection must be open.");
        }

        var transaction = _transaction();
        if (transaction is not null || !write)
        {
            return new OperationScope(_connection, transaction, ownsTransaction: false, release: null);
        }

        var own = await _provider.BeginTransactionAsync(_connection, cancellationToken).ConfigureAwait(false);
        return new OperationScope(_connection, own, ownsTransaction: true, release: null);
    }
}
