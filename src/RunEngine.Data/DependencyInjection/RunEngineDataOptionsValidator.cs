using Microsoft.Extensions.Options;
using RunEngine.Data.Providers;

namespace RunEngine.Data.DependencyInjection;

/// <summary>
/// Checks <see cref="RunEngineDataOptions"/> when the host starts, with messages that say what to set and where.
/// No message contains the connection string.
/// </summary>
internal sealed class RunEngineDataOptionsValidator : IValidateOptions<RunEngineDataOptions>
{
    private const string Section = "RunEngineData";

    public ValidateOptionsResult Validate(string? name, RunEngineDataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new ValidateOptionsResultBuilder();
        var registered = options.ProviderNames;
        var selected = options.Selected();
        if (registered.Count == 0)
        {
            failures.AddError(
                "No RunEngine.Data provider is configured: call UseSqlServer, UseSqlite (RunEngine.Data.Sqlite), UsePostgreSql " +
                "(RunEngine.Data.PostgreSql) or UseDatabase inside AddRunEngineData(...).");
        }
        else if (selected is null)
        {
            failures.AddError(options.Provider is null
                ? $"Several RunEngine.Data providers are registered ({string.Join(", ", registered)}): set {Section}:Provider to one of them."
                : $"{Section}:Provider is '{options.Provider}', which is not registered; registered: {string.Join(", ", registered)}.");
        }
        else if (selected.RequiresConnectionString && string.IsNullOrWhiteSpace(options.ConnectionStringFor(selected)))
        {
            failures.AddError(
                $"{Section}:ConnectionString is missing: the {selected.Name} provider needs one. Set it in configuration " +
                $"({Section}:ConnectionString, or an environment variable {Section}__ConnectionString) or pass it to Use{selected.Name}(...).");
        }

        if (options.Schema is not null)
        {
            Add(failures, ProviderRegistration.Check(() => Identifier.ValidateName(options.Schema, $"{Section}:Schema", Identifier.MaxSchemaLength)));
        }

        if (options.TablePrefix is not null)
        {
            Add(failures, ProviderRegistration.Check(() => Identifier.ValidatePrefix(options.TablePrefix, $"{Section}:TablePrefix")));
        }

        if (options.CommandTimeout < TimeSpan.Zero)
        {
            failures.AddError($"{Section}:CommandTimeout must not be negative (use 00:00:00 for no limit).");
        }

        if (options.LeaseClock is { } clock && !Enum.IsDefined(clock))
        {
            failures.AddError($"{Section}:LeaseClock must be Database or Host.");
        }

        if (options.Retry is { } retry)
        {
            Add(failures, ProviderRegistration.Check(retry.Validate) is { } message ? $"{Section}:{message}" : null);
        }

        if (options.RetryPipelineKey is { Length: 0 } || options.RetryPipelineKey?.Trim().Length == 0)
        {
            failures.AddError($"{Section}:RetryPipelineKey must not be empty; leave it unset for the library's own pipeline.");
        }

        if (selected is not null && !failures.Build().Failed)
        {
            // Provider-specific checks: the connection string parses, the provider's own options are in range.
            Add(failures, selected.Validate(options));
        }

        return failures.Build();
    }

    private static void Add(ValidateOptionsResultBuilder failures, string? message)
    {
        if (message is not null)
        {
            failures.AddError(message);
        }
    }
}
