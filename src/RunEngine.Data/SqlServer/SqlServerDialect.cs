using RunEngine.Data.Providers;

namespace RunEngine.Data.SqlServer;

/// <summary>T-SQL quoting and limits.</summary>
internal sealed class SqlServerDialect : SqlDialect
{
    public static SqlServerDialect Instance { get; } = new();

    public override string DefaultSchema => "dbo";

    /// <summary>SQL Server rejects a request with more than 2,100 parameters.</summary>
    public override int MaxParameters => 2_100;

    /// <summary>
    /// <c>SYSUTCDATETIME()</c> read once per batch into <c>@Now</c> (truncated to whole microseconds, like every stored
    /// timestamp, and stored with offset +00:00 in the datetimeoffset(7) columns), and <c>@Expires</c> from it. Declared
    /// variables rather than inline calls: every reference to <c>SYSUTCDATETIME()</c> is its own reading, and one
    /// statement must see one time. The statements then read the same names as with the host's clock.
    /// <c>DATEADD</c> takes an int, so the lease is added as whole seconds (at most 7 days) and then microseconds.
    /// </summary>
    public override LeaseClockSql DatabaseClock { get; } = new(
        LeaseClock.Database,
        "DECLARE @Utc datetime2(7) = SYSUTCDATETIME();\n" +
        "DECLARE @Now datetimeoffset(7) = TODATETIMEOFFSET(DATEADD(NANOSECOND, -(DATEPART(NANOSECOND, @Utc) % 1000), @Utc), 0);\n",
        "DECLARE @Expires datetimeoffset(7) = DATEADD(MICROSECOND, CAST(@LeaseMicroseconds % 1000000 AS int), " +
        "DATEADD(SECOND, CAST(@LeaseMicroseconds / 1000000 AS int), @Now));\n",
        "@Now",
        "@Expires");

    /// <summary><c>UPDATE table SET ... OUTPUT inserted.... WHERE ...</c>.</summary>
    public override string UpdateReturning(string table, string set, string where, IEnumerable<string> columns) =>
        $"UPDATE {table} SET {set} OUTPUT {string.Join(", ", columns.Select(c => "inserted." + Quote(c)))} WHERE {where}";

    /// <summary>Brackets, with <c>]</c> doubled (identifiers are validated first, so this is belt and braces).</summary>
    public override string Quote(string identifier) => "[" + identifier.Replace("]", "]]", StringComparison.Ordinal) + "]";
}
