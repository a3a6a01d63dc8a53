using Microsoft.Data.Sqlite;
using RunEngine.Data.Sqlite;

namespace RunEngine.Data.IntegrationTests.Sqlite;

/// <summary>
/// SQLite's transient errors on the real Microsoft.Data.Sqlite type (no database file): the core's untyped reading and
/// the provider's typed one give the same answers.
/// </summary>
public sealed class SqliteTransientErrorsTests : IAsyncLifetime
{
    private RunEngineDatabase _db = null!;

    public Task InitializeAsync()
    {
        _db = SqliteDatabase.Create($"Data Source=re_classify_{Guid.NewGuid():N};Mode=Memory;Cache=Shared");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Theory]
    [InlineData(5, 5, "sqlite:5")] // SQLITE_BUSY
    [InlineData(5, 261, "sqlite:5")] // SQLITE_BUSY_RECOVERY
    [InlineData(5, 517, "sqlite:5")] // SQLITE_BUSY_SNAPSHOT
    [InlineData(5, 773, "sqlite:5")] // SQLITE_BUSY_TIMEOUT
    [InlineData(6, 6, "sqlite:6")] // SQLITE_LOCKED
    [InlineData(6, 262, "sqlite:6")] // SQLITE_LOCKED_SHAREDCACHE
    [InlineData(6, 518, "sqlite:6")] // SQLITE_LOCKED_VTAB
    public void IsTransient_BusyOrLocked_IsTransientOnBothPaths(int code, int extended, string reason)
    {
        var error = new SqliteException("database is locked", code, extended);

        RunEngineDatabase.IsTransient(error).Should().BeTrue();
        Resilience.TransientErrors.Reason(error).Should().Be(reason);
        _db.Provider.TransientReason(error).Should().Be(reason);
    }

    [Theory]
    [InlineData(19, 2067)] // SQLITE_CONSTRAINT_UNIQUE
    [InlineData(19, 787)] // SQLITE_CONSTRAINT_FOREIGNKEY
    [InlineData(1, 1)] // SQLITE_ERROR
    [InlineData(8, 8)] // SQLITE_READONLY
    [InlineData(10, 10)] // SQLITE_IOERR
    [InlineData(11, 11)] // SQLITE_CORRUPT
    [InlineData(14, 14)] // SQLITE_CANTOPEN
    public void IsTransient_OtherCode_IsNotTransientOnBothPaths(int code, int extended)
    {
        var error = new SqliteException("error", code, extended);

        RunEngineDatabase.IsTransient(error).Should().BeFalse();
        _db.Provider.TransientReason(error).Should().BeNull();
    }

    [Fact]
    public void IsTransient_WithoutExtendedCode_ReadsThePrimaryCode()
    {
        RunEngineDatabase.IsTransient(new SqliteException("database is locked", 5)).Should().BeTrue();
    }
}
