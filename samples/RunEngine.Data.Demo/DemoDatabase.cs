using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;
using RunEngine.Data.PostgreSql;
using RunEngine.Data.Sqlite;
using RunEngine.Data.SqlServer;

namespace RunEngine.Data.Demo;

/// <summary>Creates the database the demo writes to, and a description of it that never includes secrets.</summary>
internal static class DemoDatabase
{
    public static (RunEngineDatabase Database, string Target) Create(DemoSettings settings)
    {
        switch (settings.Provider)
        {
            case "postgres":
                var pg = new NpgsqlConnectionStringBuilder(settings.Connection);
                return (PostgreSqlDatabase.Create(settings.Connection!), $"PostgreSQL, database '{pg.Database ?? pg.Username}' on {pg.Host}:{pg.Port}");
            case "sqlserver":
                var ss = new SqlConnectionStringBuilder(settings.Connection);
                var catalog = string.IsNullOrEmpty(ss.InitialCatalog) ? "the login's default database" : $"database '{ss.InitialCatalog}'";
                return (SqlServerDatabase.Create(settings.Connection!), $"SQL Server, {catalog} on {ss.DataSource}");
            default:
                var connection = settings.Connection ?? $"Data Source={Path.GetFullPath(DemoSettings.DefaultSqliteFile)}";
                var file = new SqliteConnectionStringBuilder(connection).DataSource;
                return (SqliteDatabase.Create(connection), $"SQLite, file {file}");
        }
    }
}
