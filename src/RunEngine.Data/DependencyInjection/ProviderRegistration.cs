namespace RunEngine.Data.DependencyInjection;

/// <summary>One provider registered by a <c>Use...</c> call: how to check the options, and how to build the database.</summary>
internal sealed class ProviderRegistration
{
    /// <param name="name">The name <see cref="RunEngineDataOptions.Provider"/> selects it by ("SqlServer", "Sqlite", ...).</param>
    /// <param name="connectionString">The connection string passed in code; null to use <see cref="RunEngineDataOptions.ConnectionString"/>.</param>
    /// <param name="requiresConnectionString">Whether a connection string is needed (not for a data source or a custom factory).</param>
    /// <param name="validate">Returns a message (never containing the connection string) when the options do not suit the provider.</param>
    /// <param name="create">Builds the database from the container and the options.</param>
    public ProviderRegistration(
        string name,
        string? connectionString,
        bool requiresConnectionString,
        Func<RunEngineDataOptions, string?> validate,
        Func<IServiceProvider, RunEngineDataOptions, RunEngineDatabase> create)
    {
        Name = name;
        ConnectionString = connectionString;
        RequiresConnectionString = requiresConnectionString;
        Validate = validate;
        Create = create;
    }

    public string Name { get; }

    public string? ConnectionString { get; }

    public bool RequiresConnectionString { get; }

    public Func<RunEngineDataOptions, string?> Validate { get; }

    public Func<IServiceProvider, RunEngineDataOptions, RunEngineDatabase> Create { get; }

    /// <summary>Runs <paramref name="check"/> and turns an <see cref="ArgumentException"/> into a message for the validator.</summary>
    public static string? Check(Action check)
    {
        try
        {
            check();
            return null;
        }
        catch (ArgumentException ex)
        {
            // Option messages name the option and its limits; the "(Parameter '...')" suffix repeats the name.
            var suffix = ex.ParamName is null ? null : $" (Parameter '{ex.ParamName}')";
            var message = suffix is not null && ex.Message.Contains(suffix, StringComparison.Ordinal)
                ? ex.Message.Replace(suffix, string.Empty, StringComparison.Ordinal)
                : ex.Message;
            return message;
        }
    }
}
