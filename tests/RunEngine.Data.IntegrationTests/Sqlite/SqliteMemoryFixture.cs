namespace RunEngine.Data.IntegrationTests.Sqlite;

/// <summary>
/// A named in-memory database (shared cache, so that the tests' raw connections see the same database as the
/// library's single kept connection). It lives as long as the library's connection: until the fixture is disposed.
/// </summary>
public sealed class SqliteMemoryFixture : SqliteFixture
{
    /// <inheritdoc/>
    public override string ConnectionString { get; } = $"Data Source=re_tests_{Guid.NewGuid():N};Mode=Memory;Cache=Shared";

    /// <inheritdoc/>
    protected override Task DeleteAsync() => Task.CompletedTask;
}
