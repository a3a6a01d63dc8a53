namespace RunEngine.Data.PostgreSql;

/// <summary>
/// Options of a PostgreSQL database. Everything shared by all providers is in <see cref="RunEngineOptions"/>;
/// the default schema is <c>public</c>. Connection settings (pooling, timeouts, TLS) belong in the connection string or
/// in the <c>NpgsqlDataSource</c> handed to <see cref="PostgreSqlDatabase.Create(Npgsql.NpgsqlDataSource, PostgreSqlOptions?)"/>.
/// </summary>
public sealed class PostgreSqlOptions : RunEngineOptions
{
    /// <summary>
    /// How the tables are laid out: <see cref="PostgreSqlDistribution.None"/> (one server, the default) or
    /// <see cref="PostgreSqlDistribution.Citus"/> (distributed by run; see docs/scaling.md). With <c>AddRunEngineData</c>
    /// it binds from configuration as <c>RunEngineData:PostgreSql:Distribution</c>. Must be a defined value.
    /// </summary>
    public PostgreSqlDistribution Distribution { get; set; }

    /// <summary>
    /// Test-only, not public: with <see cref="PostgreSqlDistribution.Citus"/>, the distributed layout's keys
    /// (<c>(run_id, id)</c>) and statements on plain PostgreSQL — no citus extension check, no
    /// <c>create_distributed_table</c>. The run-keyed test fixture's way of running the whole library on run keys in CI.
    /// </summary>
    internal bool WithoutCitusExtension { get; set; }

    /// <inheritdoc />
    protected internal override void Validate()
    {
        base.Validate();
        if (!Enum.IsDefined(Distribution))
        {
            throw new ArgumentOutOfRangeException(nameof(Distribution), Distribution, "Distribution must be None or Citus.");
        }
    }
}
