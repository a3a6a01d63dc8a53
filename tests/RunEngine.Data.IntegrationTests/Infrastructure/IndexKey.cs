namespace RunEngine.Data.IntegrationTests.Infrastructure;

/// <summary>One index of a table, as the database's catalog reports it.</summary>
/// <param name="Name">The index's name (SQLite names the indexes of unique constraints itself).</param>
/// <param name="Unique">Whether it is unique.</param>
/// <param name="Columns">Its key columns, in order.</param>
internal sealed record IndexKey(string Name, bool Unique, IReadOnlyList<string> Columns);
