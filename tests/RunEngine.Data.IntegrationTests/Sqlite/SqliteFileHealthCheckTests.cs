using RunEngine.Data.IntegrationTests.Contract;
using RunEngine.Data.Sqlite;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileHealthCheckTests(SqliteFileFixture fixture) : HealthCheckContract<SqliteFileFixture>(fixture)
{
    /// <summary>A file in a folder that does not exist: SQLite cannot open it (SQLITE_CANTOPEN).</summary>
    protected override RunEngineDatabase CreateUnreachableDatabase() =>
        SqliteDatabase.Create($"Data Source={Path.Combine(Path.GetTempPath(), $"re_missing_{Guid.NewGuid():N}", "runs.db")}", Fixture.Options());

    protected override RunEngineDatabase? CreateDatabaseAt(int port) => null;
}
