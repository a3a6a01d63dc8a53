using Microsoft.Data.Sqlite;
using RunEngine.Data.Perf.Measurement;
using SQLitePCL;

namespace RunEngine.Data.Perf.Targets.Sqlite;

/// <summary>
/// Counts statement executions with SQLite's own trace hook (<c>sqlite3_trace</c>: one callback each time a statement
/// starts running), installed on the native handles of the connection pool that the library and the bench share (same
/// connection string, same pool). SQLite has no server: a statement is a function call, and its prepared INSERT runs
/// once per row by design, so the figure grows with the rows for every SQLite method.
/// </summary>
internal sealed class SqliteStatementCounter : IStatementCounter
{
    // More handles than the runner ever has open at once (the lifecycle workload's workers hold up to 2 each, and its
    // pool warm-up opens 2 per worker), so every pooled handle gets the hook.
    private const int PooledHandles = 16;

    private readonly string _connectionString;
    private readonly strdelegate_trace _callback;
    private long _count;

    public SqliteStatementCounter(string connectionString)
    {
        _connectionString = connectionString;
        _callback = (_, _) => Interlocked.Increment(ref _count);
    }

    public string Source => "SQLite trace hook sqlite3_trace on the pooled connections: statement executions (the prepared INSERT counts once per row)";

    public void Start()
    {
        Interlocked.Exchange(ref _count, 0);
        Hook(_callback);
    }

    public long Stop()
    {
        Hook(null);
        return Interlocked.Read(ref _count);
    }

    public void Dispose()
    {
    }

    private void Hook(strdelegate_trace? callback)
    {
        var connections = new List<SqliteConnection>();
        try
        {
            for (var i = 0; i < PooledHandles; i++)
            {
                var connection = new SqliteConnection(_connectionString);
                connection.Open();
                connections.Add(connection);
                raw.sqlite3_trace(connection.Handle, callback, null);
            }
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }
        }
    }
}
