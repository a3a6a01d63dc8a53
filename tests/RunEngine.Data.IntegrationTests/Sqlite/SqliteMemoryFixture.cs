namespace RunEngine.Data.IntegrationTests.Sqlite;

/// <summary>
/// A named in-memory database (shared cache, so that the tests' raw connections see the same database as the
/// library's single kept connection). It lives as long as the library's connection: until the fixture is disposed.
/// </summary>
public sealed class SqliteMemoryFixture : SqliteFixture
{
    /// <inheritdoc/>
    public override string ConnectionString { get; } = $"Data Source=re_tests_{Guid.NewGuid():N};Mode=Memory;Cache=Shared";

    /// <summary>
    /// False: each database object keeps its own connection, and shared-cache connections lock whole tables
    /// (SQLITE_LOCKED, which no busy timeout waits for). Concurrent workers share <see cref="ProviderFixture.Database"/>,
    /// whose one connection serializes them.
    /// </summary>
    public override bool SupportsConcurrentDatabaseObjects => false;

    /// <inheritdoc/>
    protected override Task DeleteAsync() => Task.CompletedTask;
}
