namespace RunEngine.Data.Schema;

/// <summary>One shipped DDL script. Version 0 is the idempotent bootstrap (schema and version table) that runs every time.</summary>
internal sealed record SchemaScript(int Version, string Description, string Text);
