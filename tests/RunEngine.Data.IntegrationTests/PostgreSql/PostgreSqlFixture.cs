using System.Data.Common;
using Npgsql;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.PostgreSql;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// A uniquely named PostgreSQL database per test class, on the server named by <c>RUNENGINE_TEST_POSTGRES</c>
/// (scripts/test.sh starts a throwaway one), dropped afterwards. Without that variable the tests skip — except
/// under <c>CI=true</c>, where the fixture fails so that PostgreSQL tests can never silently skip in CI.
/// Subclasses change the layout (<see cref="PostgreSqlRunKeyedFixture"/>) or the server and the isolation
/// (<c>CitusFixture</c>: a schema per class on a Citus coordinator) through the protected hooks.
/// </summary>
public class PostgreSqlFixture : ProviderFixture
{
    /// <summary>The environment variable holding the server's connection string (any database on it; usually postgres).</summary>
    public const string EnvironmentVariable = "RUNENGINE_TEST_POSTGRES";

    private readonly List<RunEngineDatabase> _databases = [];
    private string? _serverConnectionString;
    private string? _connectionString;
    private NpgsqlDataSource? _dataSource;

    public override string ProviderName => "PostgreSQL";

    /// <summary>The name of this fixture's database.</summary>
    public string DatabaseName { get; } = "re_test_" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>The connection string of this fixture's database.</summary>
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException(SkipReason ?? "Fixture not initialized.");

    /// <summary>The fixture's data source (one pool for every database object of the fixture).</summary>
    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException(SkipReason ?? "Fixture not initialized.");

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The schema of the fixture's tables (the tables of <see cref="ProviderFixture.Database"/>).</summary>
    public string TableSchema => Database.Provider.Tables.Schema;

    /// <summary>The environment variable naming the server (<see cref="EnvironmentVariable"/> here).</summary>
    protected virtual string ServerVariable => EnvironmentVariable;

    /// <summary>Whether an unset <see cref="ServerVariable"/> fails the fixture under CI=true instead of skipping.</summary>
    protected virtual bool RequiredInCi => true;

    /// <summary>Why the tests skip when <see cref="ServerVariable"/> is unset.</summary>
    protected virtual string UnsetReason => $"{EnvironmentVariable} is not set (scripts/test.sh sets it when PostgreSQL's server binaries are installed).";

    public override async Task InitializeAsync()
    {
        _serverConnectionString = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(_serverConnectionString))
        {
            if (IsCi && RequiredInCi)
            {
                throw new InvalidOperationException(
                    $"{EnvironmentVariable} is not set, but CI=true: PostgreSQL tests must run in CI. " +
                    "Run the tests with scripts/test.sh, which starts a throwaway PostgreSQL cluster when the server binaries are installed.");
            }

            SkipReason = UnsetReason;
            return;
        }

        _connectionString = await CreateIsolatedAsync(_serverConnectionString);
        // As PostgreSqlDatabase.Create(connectionString) does: key violations are named from the error detail.
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_connectionString) { IncludeErrorDetail = true });
        await UseDatabaseAsync(CreateDatabase());
    }

    /// <summary>Creates this fixture's isolated database on the server and returns its connection string.</summary>
    protected virtual async Task<string> CreateIsolatedAsync(string serverConnectionString)
    {
        await using (var server = new NpgsqlConnection(serverConnectionString))
        {
            await server.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Quote(DatabaseName)}", server);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = DatabaseName }.ConnectionString;
    }

    /// <summary>Drops what <see cref="CreateIsolatedAsync"/> created.</summary>
    protected virtual async Task DropIsolatedAsync(string serverConnectionString)
    {
        await using var server = new NpgsqlConnection(serverConnectionString);
        await server.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Quote(DatabaseName)} WITH (FORCE)", server);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>The fixture's own settings, applied to every database object before the test's (layout, schema).</summary>
    protected virtual void Configure(PostgreSqlOptions options)
    {
    }

    public override RunEngineDatabase CreateDatabase(Action<RunEngineOptions>? configure = null)
    {
        // The host clock, explicitly: the contract suite expires leases by moving the fake clock (LeaseClockContract tests the default).
        var options = new PostgreSqlOptions { TimeProvider = Time, LeaseClock = LeaseClock.Host };
        Configure(options);
        configure?.Invoke(options);
        var database = PostgreSqlDatabase.Create(DataSource, options);
        lock (_databases)
        {
            _databases.Add(database);
        }

        return database;
    }

    /// <summary>
    /// Through <see cref="PostgreSqlDatabase.Create(string, PostgreSqlOptions?)"/> on the plain connection string (no
    /// Include Error Detail in it), not through <see cref="DataSource"/>, which sets Include Error Detail itself.
    /// </summary>
    public override RunEngineDatabase CreateDatabaseFromConnectionString()
    {
        var options = new PostgreSqlOptions { TimeProvider = Time };
        Configure(options);
        var database = PostgreSqlDatabase.Create(ConnectionString, options);
        lock (_databases)
        {
            _databases.Add(database);
        }

        return database;
    }

    /// <summary>A CHECK no entry meets, NOT VALID so the existing entries are not checked.</summary>
    public override (string Reject, string Restore) RejectRunLogInsertsSql(string runLog, string prefix) => (
        $"ALTER TABLE {runLog} ADD CONSTRAINT re_test_reject_log CHECK (kind = 'never') NOT VALID",
        $"ALTER TABLE {runLog} DROP CONSTRAINT re_test_reject_log");

    public override async Task<DbConnection> OpenConnectionAsync() => await DataSource.OpenConnectionAsync();

    public override async Task<IReadOnlyList<DbColumnInfo>> GetColumnsAsync(string table, string prefix = "re_")
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT column_name, data_type, character_maximum_length, is_nullable FROM information_schema.columns " +
            "WHERE table_schema = @schema AND table_name = @table ORDER BY ordinal_position",
            connection);
        command.Parameters.AddWithValue("schema", TableSchema);
        command.Parameters.AddWithValue("table", prefix + table);
        await using var reader = await command.ExecuteReaderAsync();
        var columns = new List<DbColumnInfo>();
        while (await reader.ReadAsync())
        {
            columns.Add(new DbColumnInfo(
                reader.GetString(0),
                reader.GetString(1).ToLowerInvariant(),
                reader.IsDBNull(2) ? null : reader.GetInt32(2),
                reader.GetString(3) == "YES"));
        }

        return columns;
    }

    /// <summary>
    /// Terminates the backends whose application name is <paramref name="app"/> (the library's pooled connections, idle
    /// or busy; with <paramref name="sleeping"/>, only those waiting in <c>pg_sleep</c>) and waits up to 10 s for each to
    /// end. The pids are read first, then terminated one by one, so no other test's connection is touched.
    /// </summary>
    public async Task<int> TerminateBackendsAsync(string app, bool sleeping = false)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var pids = new List<int>();
        var sql = "SELECT pid FROM pg_stat_activity WHERE application_name = @app AND pid <> pg_backend_pid()" +
            (sleeping ? " AND wait_event = 'PgSleep'" : string.Empty);
        await using (var find = new NpgsqlCommand(sql, connection))
        {
            find.Parameters.AddWithValue("app", app);
            await using var reader = await find.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                pids.Add(reader.GetInt32(0));
            }
        }

        foreach (var pid in pids)
        {
            await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(@pid, 10000)", connection);
            kill.Parameters.AddWithValue("pid", pid);
            await kill.ExecuteScalarAsync();
        }

        return pids.Count;
    }

    /// <summary>Runs a scalar query on this fixture's database.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
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

        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        if (_connectionString is not null)
        {
            await DropIsolatedAsync(_serverConnectionString!);
        }
    }

    protected static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
