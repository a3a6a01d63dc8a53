namespace RunEngine.Data.IntegrationTests.Infrastructure;

/// <summary>One foreign key of a table, as the database's catalog reports it.</summary>
/// <param name="Name">Its name (SQLite reports a number).</param>
/// <param name="ReferencedTable">The referenced table, unqualified.</param>
/// <param name="Columns">The referencing columns, in key order.</param>
/// <param name="ReferencedColumns">The referenced columns, in the same order.</param>
internal sealed record ForeignKey(string Name, string ReferencedTable, IReadOnlyList<string> Columns, IReadOnlyList<string> ReferencedColumns);
