namespace RunEngine.Data.Providers;

/// <summary>What differs in SQL text between providers: identifier quoting, qualification and parameter limits.</summary>
internal abstract class SqlDialect
{
    /// <summary>The schema used when the options name none (SQL Server: dbo; PostgreSQL: public; SQLite: main).</summary>
    public abstract string DefaultSchema { get; }

    /// <summary>The most parameters one command may carry (SQL Server: 2,100; PostgreSQL: 65,535; SQLite: 32,766).</summary>
    public abstract int MaxParameters { get; }

    /// <summary>Quotes an identifier that has already been validated by <see cref="Identifier"/>.</summary>
    public abstract string Quote(string identifier);

    /// <summary>
    /// A condition that <paramref name="column"/> is one of the values of the list parameter <paramref name="listParameter"/>.
    /// Default <c>column IN @List</c>, which Dapper expands into one parameter per value. Providers to which Dapper
    /// hands the whole list as one array parameter (Npgsql) override it.
    /// </summary>
    public virtual string InList(string column, string listParameter) => $"{column} IN {listParameter}";

    /// <summary>
    /// The texts of <see cref="LeaseClock.Database"/>: the database's current time and that time plus
    /// <c>@LeaseMicroseconds</c>, each in the form and precision the provider stores timestamps in.
    /// </summary>
    public abstract LeaseClockSql DatabaseClock { get; }

    /// <summary>
    /// An UPDATE that returns columns of the rows it changed, as they now are. Default
    /// <c>UPDATE table SET ... WHERE ... RETURNING ...</c> (PostgreSQL, SQLite 3.35 and later); SQL Server overrides it with OUTPUT.
    /// </summary>
    public virtual string UpdateReturning(string table, string set, string where, IEnumerable<string> columns) =>
        $"UPDATE {table} SET {set} WHERE {where} RETURNING {string.Join(", ", columns.Select(Quote))}";

    /// <summary>The quoted, schema-qualified name of a table (providers without schemas ignore <paramref name="schema"/>).</summary>
    public virtual string Qualify(string schema, string table) => $"{Quote(schema)}.{Quote(table)}";
}
