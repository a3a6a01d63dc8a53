using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Options;
using RunEngine.Data.Schema;

namespace RunEngine.Data.HealthChecks;

/// <summary>
/// The health check's descriptions. They name the provider, the schema, the table prefix, the versions, the exception's
/// type and SQLSTATE: never the connection string, a host name or a driver's message (a health endpoint is often
/// readable by more people than the logs). The driver's exception is attached to the result for the host's logs.
/// </summary>
internal static class HealthDescriptions
{
    public static string UpToDate(HealthProbeTarget target, int version) => Invariant(
        $"The {target.ProviderName} schema \"{target.Schema}\" (tables {target.TablePrefix}*) is at version {version}, the version this library expects.");

    public static string Mismatch(HealthProbeTarget target, SchemaVersionReading reading)
    {
        var expected = target.ExpectedVersion;
        var where = Invariant($"The {target.ProviderName} schema \"{target.Schema}\"");
        if (reading.TableMissing)
        {
            return Invariant(
                $"{where} has no {target.TablePrefix}schema_version table, so it is at version 0, older than this library's version {expected}: the tables were never created there. Call EnsureSchemaAsync to create them.");
        }

        return reading.Version < expected
            ? Invariant(
                $"{where} (tables {target.TablePrefix}*) is at version {reading.Version}, older than this library's version {expected}. Call EnsureSchemaAsync to apply the newer scripts.")
            : Invariant(
                $"{where} (tables {target.TablePrefix}*) is at version {reading.Version}, newer than this library's version {expected}: it was upgraded by a newer RunEngine.Data. Upgrade the library in this host.");
    }

    public static string TimedOut(HealthProbeTarget target, TimeSpan timeout) => Invariant(
        $"The {target.ProviderName} database did not answer within {timeout.TotalSeconds:0.###} s (the health check's timeout).");

    public static string Unreachable(HealthProbeTarget target, Exception exception) => Invariant(
        $"The {target.ProviderName} database could not be reached or its schema version could not be read ({Describe(exception)}).");

    public static string NotRegistered() =>
        "No RunEngineDatabase is registered: call services.AddRunEngineData(...), or pass the database to " +
        "AddHealthChecks().AddRunEngineData(services => database).";

    public static string NotCreated(Exception exception) => exception is OptionsValidationException invalid
        // The options validator's messages name the setting to fix and never contain the connection string.
        ? "The RunEngineDatabase could not be created: " + string.Join(" ", invalid.Failures)
        : Invariant($"The RunEngineDatabase could not be created ({Describe(exception)}).");

    /// <summary>The exception's type, and the SQLSTATE of the first database error in its chain that has one.</summary>
    private static string Describe(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException { SqlState: { Length: > 0 } state })
            {
                return Invariant($"{exception.GetType().Name}, SQLSTATE {state}");
            }
        }

        return exception.GetType().Name;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
