using RunEngine.Data.Providers;

namespace RunEngine.Data.Sqlite.Providers;

/// <summary>SQLite's SQL text rules: double-quoted identifiers, no schemas, 32,766 parameters per statement.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    public static SqliteDialect Instance { get; } = new();

    /// <summary>The connection's own database; SQLite has no schemas, only attached databases.</summary>
    public override string DefaultSchema => "main";

    /// <summary>SQLITE_MAX_VARIABLE_NUMBER of SQLite 3.32 and later.</summary>
    public override int MaxParameters => 32_766;

    /// <summary>
    /// SQLite runs in the host's process, so "the database's clock" is SQLite's own <c>'now'</c>: the clock of the
    /// machine that opens the file (not the configured <see cref="TimeProvider"/>), at SQLite's millisecond resolution,
    /// and one value for a whole statement (SQLite reads it once per step, and an UPDATE ... RETURNING makes all its
    /// changes in its first step). It is written in the stored text form, "yyyy-MM-dd HH:mm:ss.FFFFFF+00:00" with
    /// trailing fractional zeros and a bare "." trimmed, so it compares as text with what the bulk writer and
    /// Microsoft.Data.Sqlite's parameters store (see Scripts/002_claims_and_run_log.sql). The arithmetic is on
    /// integers (milliseconds since 1970, then the lease's microseconds), never on floating-point Julian days.
    /// </summary>
    public override LeaseClockSql DatabaseClock { get; } = new(
        LeaseClock.Database,
        string.Empty,
        string.Empty,
        Format(NowMilliseconds, "0"),
        Format($"({NowMilliseconds} + @LeaseMicroseconds / 1000)", "@LeaseMicroseconds % 1000"));

    public override string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Milliseconds since 1970 of SQLite's 'now' ("%f" is "SS.SSS": the milliseconds are its last three digits).</summary>
    private static string NowMilliseconds =>
        "(CAST(strftime('%s', 'now') AS INTEGER) * 1000 + CAST(substr(strftime('%f', 'now'), 4) AS INTEGER))";

    /// <summary>The stored text of <paramref name="milliseconds"/> since 1970 plus <paramref name="microseconds"/> (0 to 999).</summary>
    private static string Format(string milliseconds, string microseconds) =>
        $"(rtrim(rtrim(strftime('%Y-%m-%d %H:%M:%S', {milliseconds} / 1000, 'unixepoch') || '.' || " +
        $"printf('%03d%03d', {milliseconds} % 1000, {microseconds}), '0'), '.') || '+00:00')";

    /// <summary>
    /// Tables are named without a schema: SQLite does not allow a qualified name after <c>REFERENCES</c> or
    /// <c>ON</c> of <c>CREATE INDEX</c>, and the only accepted schema is the connection's own one.
    /// </summary>
    public override string Qualify(string schema, string table) => Quote(table);
}
