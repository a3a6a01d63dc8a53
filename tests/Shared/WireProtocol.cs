namespace RunEngine.Data.Testing;

/// <summary>The wire protocol a <see cref="FaultProxy"/> reads, to find message boundaries and protocol moments.</summary>
public enum WireProtocol
{
    /// <summary>PostgreSQL's frontend/backend protocol (startup, then one type byte and a length per message).</summary>
    PostgreSql,

    /// <summary>SQL Server's TDS: 8-byte packet headers (type, status, length), TLS records during the login.</summary>
    Tds,
}
