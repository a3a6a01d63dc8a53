using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.SqlClient;
using RunEngine.Data.Providers;
using RunEngine.Data.Schema;

namespace RunEngine.Data.SqlServer;

/// <summary>The shipped T-SQL scripts (batches separated by <c>GO</c> lines) and the migration lock (<c>sp_getapplock</c>).</summary>
internal sealed class SqlServerSchema : SchemaDefinition
{
    /// <summary>Takes an exclusive application lock owned by the transaction and returns sp_getapplock's result code.</summary>
    public const string LockSql =
        "DECLARE @result int;\n" +
        "EXEC @result = sys.sp_getapplock @Resource = @Resource, @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = @LockTimeout;\n" +
        "SELECT @result;";

    private static readonly Lazy<IReadOnlyList<SchemaScript>> Loaded =
        new(() => SchemaScriptLoader.Load(typeof(SqlServerSchema).Assembly, "RunEngine.Data.SqlServer"));

    public SqlServerSchema(TableNames tables)
    {
        // One lock per schema and prefix: two sets of tables side by side migrate independently.
        LockResource = $"RunEngine.Data:{tables.Schema}.{tables.Prefix}";
    }

    public override IReadOnlyList<SchemaScript> Scripts => Loaded.Value;

    /// <summary>The application lock's resource name.</summary>
    public string LockResource { get; }

    public override async Task AcquireLockAsync(DbConnection connection, DbTransaction transaction, int timeoutSeconds, CancellationToken cancellationToken)
    {
        // sp_getapplock waits at most LockTimeout ms (-1: forever); the command timeout is a little longer so the
        // server's own timeout, with its clear result code, fires first.
        var lockTimeout = timeoutSeconds == 0 ? -1 : (int)Math.Min(int.MaxValue, timeoutSeconds * 1_000L);
        var commandTimeout = timeoutSeconds == 0 ? 0 : (int)Math.Min(int.MaxValue, timeoutSeconds + 5L);
        var result = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            LockSql,
            new { Resource = LockResource, LockTimeout = lockTimeout },
            transaction,
            commandTimeout,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (result < 0)
        {
            var reason = result switch
            {
                -1 => "the lock request timed out",
                -2 => "the lock request was cancelled",
                -3 => "the lock request was chosen as a deadlock victim",
                _ => string.Create(CultureInfo.InvariantCulture, $"sp_getapplock returned {result}"),
            };
            throw new SchemaException($"Could not take the schema migration lock {LockResource}: {reason}. Another process may be migrating the schema.");
        }
    }

    /// <summary>"Invalid object name": the table, or its schema, does not exist (the number is the same in every language).</summary>
    public const int InvalidObjectName = 208;

    public override bool IsMissingTable(Exception exception) =>
        exception is SqlException sql && (sql.Number == InvalidObjectName || sql.Errors.Cast<SqlError>().Any(e => e.Number == InvalidObjectName));

    /// <summary>Splits on lines holding only <c>GO</c> (any case), as sqlcmd and SSMS do.</summary>
    public override IEnumerable<string> SplitBatches(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var batch = new List<string>();
        foreach (var rawLine in script.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Trim().Equals("GO", StringComparison.OrdinalIgnoreCase))
            {
                if (batch.Any(l => !string.IsNullOrWhiteSpace(l)))
                {
                    yield return string.Join('\n', batch);
                }

                batch.Clear();
                continue;
            }

            batch.Add(line);
        }

        if (batch.Any(l => !string.IsNullOrWhiteSpace(l)))
        {
            yield return string.Join('\n', batch);
        }
    }
}
