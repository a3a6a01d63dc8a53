using Microsoft.Extensions.Logging;

namespace RunEngine.Data.Diagnostics;

/// <summary>The logger and fixed telemetry tags of one database object.</summary>
internal sealed class ProviderDiagnostics
{
    public ProviderDiagnostics(ILogger logger, string systemName, string dbNamespace)
    {
        Logger = logger;
        SystemName = systemName;
        Namespace = dbNamespace;
    }

    /// <summary>The logger of category <see cref="RunEngineTelemetry.LoggerCategory"/> (a null logger by default).</summary>
    public ILogger Logger { get; }

    /// <summary>OpenTelemetry's <c>db.system.name</c>: <c>microsoft.sql_server</c>, <c>postgresql</c>, <c>sqlite</c>.</summary>
    public string SystemName { get; }

    /// <summary>The schema holding the tables (reported as <c>db.namespace</c> on spans).</summary>
    public string Namespace { get; }

    /// <summary>Starts timing (and, when someone listens, tracing) one operation.</summary>
    /// <param name="operation">A <see cref="TelemetryTags"/> operation name.</param>
    /// <param name="collection">The unquoted table name; null for operations over several tables.</param>
    public OperationTelemetry Start(string operation, string? collection) => OperationTelemetry.Start(this, operation, collection);
}
