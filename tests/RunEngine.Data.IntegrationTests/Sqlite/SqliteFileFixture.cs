using Microsoft.Data.Sqlite;

namespace RunEngine.Data.IntegrationTests.Sqlite;

/// <summary>A database file of its own in the temporary folder, deleted (with its WAL files) afterwards.</summary>
public sealed class SqliteFileFixture : SqliteFixture
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"re_tests_{Guid.NewGuid():N}.db");

    /// <inheritdoc/>
    public override string ConnectionString => $"Data Source={_path}";

    /// <inheritdoc/>
    protected override Task DeleteAsync()
    {
        // The library's connections go back to Microsoft.Data.Sqlite's pool; close them before deleting the files.
        using (var connection = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }

        return Task.CompletedTask;
    }
}
