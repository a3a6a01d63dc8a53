using System.Data.Common;
using Dapper;

namespace RunEngine.Data.Repositories;

/// <summary>
/// A streaming read opened by one attempt: its scope, its reader positioned on the first row (when there is one), and
/// the attempt that opened it. Opening, up to the first row, is what a retry may repeat.
/// </summary>
internal sealed class ReadCursor : IAsyncDisposable
{
    private readonly OperationScope _scope;

    private ReadCursor(OperationScope scope, DbDataReader reader, bool hasRow, int attempts)
    {
        _scope = scope;
        Reader = reader;
        HasRow = hasRow;
        Attempts = attempts;
    }

    public DbDataReader Reader { get; }

    /// <summary>Whether the reader is on a first row.</summary>
    public bool HasRow { get; }

    /// <summary>The number of the attempt that opened the read.</summary>
    public int Attempts { get; }

    /// <summary>Opens a scope, runs <paramref name="command"/> (its transaction is the scope's) and reads the first row.</summary>
    public static async Task<ReadCursor> OpenAsync(IScopeFactory scopes, CommandDefinition command, int attempt, CancellationToken cancellationToken)
    {
        var scope = await scopes.BeginAsync(write: false, cancellationToken).ConfigureAwait(false);
        DbDataReader? reader = null;
        try
        {
            var bound = new CommandDefinition(
                command.CommandText, command.Parameters, scope.Transaction, command.CommandTimeout, command.CommandType, command.Flags, cancellationToken);
            reader = await scope.Connection.ExecuteReaderAsync(bound).ConfigureAwait(false);
            var hasRow = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new ReadCursor(scope, reader, hasRow, attempt);
        }
        catch
        {
            if (reader is not null)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }

            await scope.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Reader.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await _scope.DisposeAsync().ConfigureAwait(false);
        }
    }
}
