using RunEngine.Data.Providers;

namespace RunEngine.Data.SqlServer;

/// <summary>T-SQL quoting and limits.</summary>
internal sealed class SqlServerDialect : SqlDialect
{
    public static SqlServerDialect Instance { get; } = new();

    public override string DefaultSchema => "dbo";

    /// <summary>SQL Server rejects a request with more than 2,100 parameters.</summary>
    public override int MaxParameters => 2_100;

    /// <summary>Brackets, with <c>]</c> doubled (identifiers are validated first, so this is belt and braces).</summary>
    public override string Quote(string identifier) => "[" + identifier.Replace("]", "]]", StringComparison.Ordinal) + "]";
}
