using RunEngine.Data.Providers;

namespace RunEngine.Data.PostgreSql;

/// <summary>PostgreSQL's identifier quoting and limits.</summary>
internal sealed class PostgreSqlDialect : SqlDialect
{
    public static PostgreSqlDialect Instance { get; } = new();

    public override string DefaultSchema => "public";

    /// <summary>The wire protocol counts parameters in 16 bits.</summary>
    public override int MaxParameters => 65_535;

    /// <summary>Dapper sends a list to Npgsql as one array parameter instead of expanding it, so <c>IN @Ids</c> would not parse.</summary>
    public override string InList(string column, string listParameter) => $"{column} = ANY({listParameter})";

    /// <summary>
    /// <c>statement_timestamp()</c>: the time the statement began, one value for every row and every reference in it,
    /// at the microsecond precision of timestamptz. Not <c>now()</c>, which is the start of the transaction and stands
    /// still through a session's whole transaction (a long one would judge leases by an old time and hand out shorter
    /// ones); not <c>clock_timestamp()</c>, which is read again at every call, so the rows of one claim (and a row's
    /// <c>updated_at</c> and <c>lease_expires_at</c>) would get different times. The lease is added as microseconds,
    /// never as days, which would follow the session's time zone across a daylight-saving change.
    /// </summary>
    public override LeaseClockSql DatabaseClock { get; } = new(
        LeaseClock.Database, string.Empty, string.Empty, "statement_timestamp()", "(statement_timestamp() + @LeaseMicroseconds * INTERVAL '1 microsecond')");

    public override string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
