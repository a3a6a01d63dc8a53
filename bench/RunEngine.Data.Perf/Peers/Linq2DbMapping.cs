using System.Globalization;
using LinqToDB;
using LinqToDB.Mapping;

namespace RunEngine.Data.Perf.Peers;

/// <summary>
/// linq2db's fluent mapping of <see cref="Story"/> and <see cref="Card"/> onto the library's own tables (the bench's
/// <c>bench_</c> tables, created by the library's schema scripts), column by column, with the column types the
/// library writes. The peer check (<see cref="PeerCheck"/>) reads both back and compares every column.
/// </summary>
internal static class Linq2DbMapping
{
    /// <summary>What Microsoft.Data.Sqlite writes for a <see cref="DateTimeOffset"/>, and so what the library stores.</summary>
    private const string SqliteTimestamp = "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz";

    /// <param name="schema">The schema name, or null where the database has none (SQLite).</param>
    /// <param name="prefix">The table prefix (the bench's <c>bench_</c>).</param>
    /// <param name="textIdsAndTimes">
    /// SQLite: ids as the upper-case 36-character TEXT and timestamps as the TEXT form Microsoft.Data.Sqlite binds
    /// (what the library stores; linq2db's own SQLite literals would write ids as BLOBs and timestamps in another
    /// format). PostgreSQL: false, uuid and timestamptz as they are.
    /// </param>
    public static MappingSchema Create(string? schema, string prefix, bool textIdsAndTimes)
    {
        // jsonb on PostgreSQL (linq2db's COPY writes it as NpgsqlDbType.Jsonb); plain TEXT on SQLite.
        var json = textIdsAndTimes ? DataType.Text : DataType.BinaryJson;
        var mappingSchema = new MappingSchema();
        var builder = new FluentMappingBuilder(mappingSchema);

        var story = builder.Entity<Story>().HasTableName(prefix + "stories");
        var card = builder.Entity<Card>().HasTableName(prefix + "cards");
        if (schema is not null)
        {
            story.HasSchemaName(schema);
            card.HasSchemaName(schema);
        }

        if (textIdsAndTimes)
        {
            story.Property(s => s.Id).HasColumnName("id").IsPrimaryKey().HasConversion(g => Text(g), t => Guid.Parse(t));
            story.Property(s => s.RunId).HasColumnName("run_id").HasConversion(g => Text(g), t => Guid.Parse(t));
            story.Property(s => s.CreatedAt).HasColumnName("created_at").HasConversion(d => Text(d), t => DateTimeOffset.Parse(t, CultureInfo.InvariantCulture));
            story.Property(s => s.UpdatedAt).HasColumnName("updated_at").HasConversion(d => Text(d), t => DateTimeOffset.Parse(t, CultureInfo.InvariantCulture));
            story.Property(s => s.LeaseExpiresAt).HasColumnName("lease_expires_at").HasConversion(d => Text(d), t => Timestamp(t));
            card.Property(c => c.Id).HasColumnName("id").IsPrimaryKey().HasConversion(g => Text(g), t => Guid.Parse(t));
            card.Property(c => c.RunId).HasColumnName("run_id").HasConversion(g => Text(g), t => Guid.Parse(t));
            card.Property(c => c.StoryId).HasColumnName("story_id").HasConversion(g => Text(g), t => Guid.Parse(t));
            card.Property(c => c.CreatedAt).HasColumnName("created_at").HasConversion(d => Text(d), t => DateTimeOffset.Parse(t, CultureInfo.InvariantCulture));
            card.Property(c => c.UpdatedAt).HasColumnName("updated_at").HasConversion(d => Text(d), t => DateTimeOffset.Parse(t, CultureInfo.InvariantCulture));
        }
        else
        {
            story.Property(s => s.Id).HasColumnName("id").IsPrimaryKey().HasDataType(DataType.Guid);
            story.Property(s => s.RunId).HasColumnName("run_id").HasDataType(DataType.Guid);
            story.Property(s => s.CreatedAt).HasColumnName("created_at").HasDataType(DataType.DateTimeOffset);
            story.Property(s => s.UpdatedAt).HasColumnName("updated_at").HasDataType(DataType.DateTimeOffset);
            story.Property(s => s.LeaseExpiresAt).HasColumnName("lease_expires_at").HasDataType(DataType.DateTimeOffset);
            card.Property(c => c.Id).HasColumnName("id").IsPrimaryKey().HasDataType(DataType.Guid);
            card.Property(c => c.RunId).HasColumnName("run_id").HasDataType(DataType.Guid);
            card.Property(c => c.StoryId).HasColumnName("story_id").HasDataType(DataType.Guid);
            card.Property(c => c.CreatedAt).HasColumnName("created_at").HasDataType(DataType.DateTimeOffset);
            card.Property(c => c.UpdatedAt).HasColumnName("updated_at").HasDataType(DataType.DateTimeOffset);
        }

        story.Property(s => s.Position).HasColumnName("position").HasDataType(DataType.Int32);
        story.Property(s => s.Title).HasColumnName("title").HasDataType(DataType.VarChar).HasLength(RunEngineLimits.TitleMaxLength).IsNullable(false);
        story.Property(s => s.Body).HasColumnName("body").HasDataType(DataType.Text).IsNullable();
        story.Property(s => s.Status).HasColumnName("status").HasDataType(DataType.Int16);
        story.Property(s => s.Version).HasColumnName("version").HasDataType(DataType.Int32);
        story.Property(s => s.Metadata).HasColumnName("metadata").HasDataType(json).IsNullable();
        story.Property(s => s.ClaimedBy).HasColumnName("claimed_by").HasDataType(DataType.VarChar).HasLength(RunEngineLimits.WorkerIdMaxLength).IsNullable();

        card.Property(c => c.Position).HasColumnName("position").HasDataType(DataType.Int32);
        card.Property(c => c.Title).HasColumnName("title").HasDataType(DataType.VarChar).HasLength(RunEngineLimits.TitleMaxLength).IsNullable(false);
        card.Property(c => c.Description).HasColumnName("description").HasDataType(DataType.Text).IsNullable();
        card.Property(c => c.Status).HasColumnName("status").HasDataType(DataType.Int16);
        card.Property(c => c.Version).HasColumnName("version").HasDataType(DataType.Int32);
        card.Property(c => c.Metadata).HasColumnName("metadata").HasDataType(json).IsNullable();

        builder.Build();
        return mappingSchema;
    }

    private static string Text(Guid id) => id.ToString("D").ToUpperInvariant();

    private static string Text(DateTimeOffset time) => time.ToString(SqliteTimestamp, CultureInfo.InvariantCulture);

    private static string? Text(DateTimeOffset? time) => time is { } t ? Text(t) : null;

    private static DateTimeOffset? Timestamp(string? text) => text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
