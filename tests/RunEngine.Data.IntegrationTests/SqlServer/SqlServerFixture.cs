using System.Data.Common;
using Microsoft.Data.SqlClient;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.SqlServer;

namespace RunEngine.Data.IntegrationTests.SqlServer;

/// <summary>
/// A uniquely named SQL Server database per test class, on the server named by <c>RUNENGINE_TEST_SQLSERVER</c>
/// (a connection string to any database the login may create databases from), dropped afterwards.
/// Without that variable the tests report a skip with the reason: SQL Server cannot run on the project's machines.
/// </summary>
public sealed class SqlServerFixture : ProviderFixture
{
    /// <summary>The environment variable holding the server's connection string.</summary>
    public const string EnvironmentVariable = "RUNENGINE_TEST_SQLSERVER";

    private readonly List<RunEngineDatabase> _databases = [];
    private string? _serverConnectionString;
    private string? _connectionString;
    private bool _created;

    public override string ProviderName => "SQL Server";

    /// <summary>The name of this fixture's database.</summary>
    public string DatabaseName { get; } = "re_test_" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>The connection string of this fixture's database.</summary>
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException(SkipReason ?? "Fixture not initialized.");

    public override async Task InitializeAsync()
    {
        _serverConnectionString = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(_serverConnectionString))
        {
            SkipReason = $"{EnvironmentVariable} is not set; SQL Server tests need a connection string to a server";
            return;
        }

        await ExecuteOnServerAsync($"CREATE DATABASE {Quote(DatabaseName)}");
        _created = true;
        _connectionString = new SqlConnectionStringBuilder(_serverConnectionString) { InitialCatalog = DatabaseName }.ConnectionString;
        await UseDatabaseAsync(CreateDatabase());
    }

    public override RunEngineDatabase CreateDatabase(Action<RunEngineOptions>? configure = null) =>
        CreateSqlServerDatabase(o => configure?.Invoke(o));

    /// <summary>Like <see cref="CreateDatabase"/>, with the SQL Server options at hand (threshold, constraints).</summary>
    public RunEngineDatabase CreateSqlServerDatabase(Action<SqlServerOptions> configure)
    {
        // The host clock, explicitly: the contract suite expires leases by moving the fake clock (LeaseClockContract tests the default).
        var options = new SqlServerOptions { TimeProvider = Time, LeaseClock = LeaseClock.Host };
        configure(options);
        var database = SqlServerDatabase.Create(ConnectionString, options);
        lock (_databases)
        {
            _databases.Add(database);
        }

        return database;
    }

    /// <summary>SQL Server's timeout error: "Execution Timeout Expired" (-2), as SqlBulkCopy's BulkCopyTimeout gives.</summary>
    public override bool IsTimeout(Exception exception) => exception is SqlException { Number: -2 };

    /// <summary>A CHECK no entry meets, WITH NOCHECK so the existing entries are not checked.</summary>
    public override (string Reject, string Restore) RejectRunLogInsertsSql(string runLog, string prefix) => (
        $"ALTER TABLE {runLog} WITH NOCHECK ADD CONSTRAINT re_test_reject_log CHECK (kind = N'never')",
        $"ALTER TABLE {runLog} DROP CONSTRAINT re_test_reject_log");

    public override async Task<DbConnection> OpenConnectionAsync()
    {
        var connection = new SqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>INFORMATION_SCHEMA.COLUMNS in table order, without the clustering identity <c>seq</c> (not part of the map).</summary>
    public override Task<IReadOnlyList<DbColumnInfo>> GetColumnsAsync(string table, string prefix = "re_") =>
        GetColumnsInSchemaAsync("dbo", prefix + table);

    /// <summary>Columns of <paramref name="schema"/>.<paramref name="table"/> as <see cref="GetColumnsAsync(string, string)"/> reports them.</summary>
    public async Task<IReadOnlyList<DbColumnInfo>> GetColumnsInSchemaAsync(string schema, string table)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS " +
            "WHERE TABLE_SCHEMA = @schema AND TABLE_NAME = @table AND COLUMN_NAME <> N'seq' ORDER BY ORDINAL_POSITION";
        ((SqlCommand)command).Parameters.AddWithValue("@schema", schema);
        ((SqlCommand)command).Parameters.AddWithValue("@table", table);
        await using var reader = await command.ExecuteReaderAsync();
        var columns = new List<DbColumnInfo>();
        while (await reader.ReadAsync())
        {
            // nvarchar(max) reports -1: unbounded, as the map says with a null limit.
            var maxLength = reader.IsDBNull(2) ? (int?)null : reader.GetInt32(2);
            columns.Add(new DbColumnInfo(
                reader.GetString(0),
                reader.GetString(1).ToLowerInvariant(),
                maxLength is -1 ? null : maxLength,
                reader.GetString(3) == "YES"));
        }

        return columns;
    }

    /// <summary>Runs a scalar query on this fixture's database.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new SqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public override async Task DisposeAsync()
    {
        RunEngineDatabase[] databases;
        lock (_databases)
        {
            databases = [.. _databases];
        }

        foreach (var database in databases)
        {
            await database.DisposeAsync();
        }

        if (!_created)
        {
            return;
        }

        // A database left behind must not fail the run whose tests passed: say so and go on.
        try
        {
            await DropDatabaseAsync();
        }
        catch (Exception ex) when (ex is SqlException or InvalidOperationException or TimeoutException)
        {
            await Console.Error.WriteLineAsync(
                $"SqlServerFixture: could not drop the test database {DatabaseName} ({ex.GetType().Name}: {ex.Message}); drop it by hand.");
        }
    }

    /// <summary>
    /// Drops this fixture's database. Pooled connections keep it in use, so ours are closed first; then SQL Server's
    /// <c>SET SINGLE_USER WITH ROLLBACK IMMEDIATE</c> forces out anyone else. Servers that reject that statement
    /// (Babelfish for Aurora PostgreSQL, Azure SQL Database) get a plain <c>DROP DATABASE</c>, which works once no
    /// connection uses the database: ours are gone with the pool.
    /// </summary>
    private async Task DropDatabaseAsync()
    {
        using (var pooled = new SqlConnection(_connectionString))
        {
            SqlConnection.ClearPool(pooled);
        }

        var literal = "N'" + DatabaseName.Replace("'", "''", StringComparison.Ordinal) + "'";
        try
        {
            await ExecuteOnServerAsync(
                $"IF DB_ID({literal}) IS NOT NULL BEGIN " +
                $"ALTER DATABASE {Quote(DatabaseName)} SET SINGLE_USER WITH ROLLBACK IMMEDIATE; " +
                $"DROP DATABASE {Quote(DatabaseName)}; END");
        }
        catch (SqlException)
        {
            await ExecuteOnServerAsync($"IF DB_ID({literal}) IS NOT NULL DROP DATABASE {Quote(DatabaseName)}");
        }
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var server = new SqlConnection(_serverConnectionString);
        await server.OpenAsync();
        await using var command = new SqlCommand(sql, server) { CommandTimeout = 120 };
        await command.ExecuteNonQueryAsync();
    }

    private static string Quote(string identifier) => "[" + identifier.Replace("]", "]]", StringComparison.Ordinal) + "]";
}
