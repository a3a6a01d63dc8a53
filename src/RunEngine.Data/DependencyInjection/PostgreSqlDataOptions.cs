namespace RunEngine.Data;

/// <summary>
/// The PostgreSQL settings of <see cref="RunEngineDataOptions"/> that bind from configuration (section
/// <c>RunEngineData:PostgreSql</c>); <c>UsePostgreSql</c> (RunEngine.Data.PostgreSql) copies them onto its
/// <c>PostgreSqlOptions</c> before its own <c>configure</c> callback runs, so code set there wins. Other providers ignore them.
/// </summary>
public sealed class PostgreSqlDataOptions
{
    /// <summary>
    /// See <c>PostgreSqlOptions.Distribution</c>: <c>None</c> or <c>Citus</c> (the name, case-insensitive). Default null:
    /// <c>None</c>. Another value fails the options' validation at start-up with a message naming the setting.
    /// </summary>
    public string? Distribution { get; set; }
}
