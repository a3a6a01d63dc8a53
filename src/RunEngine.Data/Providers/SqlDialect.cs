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

    /// <summary>The quoted, schema-qualified name of a table (providers without schemas ignore <paramref name="schema"/>).</summary>
    public virtual string Qualify(string schema, string table) => $"{Quote(schema)}.{Quote(table)}";
}
