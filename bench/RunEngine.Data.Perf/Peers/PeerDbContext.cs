using Microsoft.EntityFrameworkCore;

namespace RunEngine.Data.Perf.Peers;

/// <summary>
/// EF Core 10 mapped onto the library's own tables: <see cref="Story"/>, <see cref="Card"/> and <see cref="RunEvent"/>
/// (the run log) as they are, every column named as the library's schema names it, <c>version</c> a concurrency token.
/// Each database has its own subclass (column types, table schema), so EF Core builds and caches one model per database.
/// The model ignores the run log's <c>seq</c>: the database numbers it.
/// </summary>
internal abstract class PeerDbContext : DbContext
{
    protected PeerDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Story> Stories => Set<Story>();

    public DbSet<Card> Cards => Set<Card>();

    public DbSet<RunEvent> RunLog => Set<RunEvent>();

    /// <summary>The schema of the library's tables, or null where the database has none (SQLite).</summary>
    protected abstract string? Schema { get; }

    /// <summary>The store type of the <c>metadata</c> columns (jsonb on PostgreSQL).</summary>
    protected abstract string? JsonColumnType { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var prefix = Targets.BenchTarget.TablePrefix;
        modelBuilder.Entity<Story>(story =>
        {
            story.ToTable(prefix + "stories", Schema);
            story.HasKey(s => s.Id);
            story.Property(s => s.Id).HasColumnName("id").ValueGeneratedNever();
            story.Property(s => s.RunId).HasColumnName("run_id");
            story.Property(s => s.Position).HasColumnName("position");
            story.Property(s => s.Title).HasColumnName("title").HasMaxLength(RunEngineLimits.TitleMaxLength);
            story.Property(s => s.Body).HasColumnName("body");
            story.Property(s => s.Status).HasColumnName("status");
            story.Property(s => s.Version).HasColumnName("version").IsConcurrencyToken();
            story.Property(s => s.CreatedAt).HasColumnName("created_at");
            story.Property(s => s.UpdatedAt).HasColumnName("updated_at");
            story.Property(s => s.Metadata).HasColumnName("metadata").HasColumnType(JsonColumnType);
            story.Property(s => s.ClaimedBy).HasColumnName("claimed_by").HasMaxLength(RunEngineLimits.WorkerIdMaxLength);
            story.Property(s => s.LeaseExpiresAt).HasColumnName("lease_expires_at");
        });

        modelBuilder.Entity<Card>(card =>
        {
            card.ToTable(prefix + "cards", Schema);
            card.HasKey(c => c.Id);
            card.Property(c => c.Id).HasColumnName("id").ValueGeneratedNever();
            card.Property(c => c.RunId).HasColumnName("run_id");
            card.Property(c => c.StoryId).HasColumnName("story_id");
            card.Property(c => c.Position).HasColumnName("position");
            card.Property(c => c.Title).HasColumnName("title").HasMaxLength(RunEngineLimits.TitleMaxLength);
            card.Property(c => c.Description).HasColumnName("description");
            card.Property(c => c.Status).HasColumnName("status");
            card.Property(c => c.Version).HasColumnName("version").IsConcurrencyToken();
            card.Property(c => c.CreatedAt).HasColumnName("created_at");
            card.Property(c => c.UpdatedAt).HasColumnName("updated_at");
            card.Property(c => c.Metadata).HasColumnName("metadata").HasColumnType(JsonColumnType);

            // The relationship tells SaveChanges to insert stories before their cards (the database's key is
            // (run_id, story_id) -> stories (run_id, id); story_id alone is enough for EF Core's ordering).
            card.HasOne<Story>().WithMany().HasForeignKey(c => c.StoryId);
        });

        modelBuilder.Entity<RunEvent>(runEvent =>
        {
            runEvent.ToTable(prefix + "run_log", Schema);
            runEvent.HasKey(e => e.Id);
            runEvent.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
            runEvent.Property(e => e.RunId).HasColumnName("run_id");
            runEvent.Property(e => e.StoryId).HasColumnName("story_id");
            runEvent.Property(e => e.CardId).HasColumnName("card_id");
            runEvent.Property(e => e.Kind).HasColumnName("kind").HasMaxLength(RunEngineLimits.EventKindMaxLength);
            runEvent.Property(e => e.Message).HasColumnName("message").HasMaxLength(RunEngineLimits.EventMessageMaxLength);
            runEvent.Property(e => e.Worker).HasColumnName("worker").HasMaxLength(RunEngineLimits.WorkerIdMaxLength);
            runEvent.Property(e => e.OccurredAt).HasColumnName("occurred_at");
        });
    }
}
