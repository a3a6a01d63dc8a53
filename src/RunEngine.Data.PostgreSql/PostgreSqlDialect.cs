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

    public override string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
