using System.Globalization;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using RunEngine.Data.WorkerService;

// A worker-service host: several workers claim and process the stories of one run in parallel.
// Every setting can be overridden on the command line, e.g. --Worker:Workers 8 or --RunEngineData:Provider PostgreSql.
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
{
    // Lowest priority: appsettings, environment variables (RunEngineData__ConnectionString) and the command line win.
    InitialData = new Dictionary<string, string?>
    {
        ["RunEngineData:Provider"] = "Sqlite",
        ["RunEngineData:ConnectionString"] = "Data Source=runengine-worker.db",
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft"] = "Warning",
        ["Logging:LogLevel:RunEngine.Data"] = "Information",
        // The host logs a failed start or a failed worker with its stack trace; this program prints it as one line.
        ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "None",
    },
});
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
});
var connectionString = builder.Configuration["RunEngineData:ConnectionString"];

// The sample's settings, read and checked before anything starts, so a typo is one clear line and exit code 1.
WorkerSettings settings;
try
{
    settings = builder.Configuration.GetSection("Worker").Get<WorkerSettings>() ?? new WorkerSettings();
}
catch (InvalidOperationException ex)
{
    await Console.Error.WriteLineAsync(StartupFailure.Describe(ex, connectionString));
    return 1;
}

if (settings.Validate() is { } invalid)
{
    await Console.Error.WriteLineAsync($"Invalid settings: {invalid}");
    return 1;
}

// The library: options bound from configuration, the provider picked by RunEngineData:Provider.
builder.Services.Configure<RunEngineDataOptions>(builder.Configuration.GetSection("RunEngineData"));
builder.Services.AddRunEngineData(o => o.UseSqlite().UsePostgreSql());

// Its health check: Unhealthy when the database is unreachable or its schema version is not the library's. A web host
// would map it to an endpoint (app.MapHealthChecks("/health")); this console worker logs the report once at start.
builder.Services.AddHealthChecks().AddRunEngineData();

// The sample: the run, its seeder (starts first), the health report, the progress log and the workers.
builder.Services.AddSingleton(Options.Create(settings));
builder.Services.AddSingleton<RunState>();
builder.Services.AddHostedService<RunSeeder>();
builder.Services.AddHostedService<HealthReporter>();

// Registered before the workers: hosted services stop in reverse order, so the final progress is read after every
// worker has completed or released its stories.
builder.Services.AddSingleton<ProgressReporter>();
builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ProgressReporter>());
for (var i = 1; i <= settings.Workers; i++)
{
    var workerId = string.Create(CultureInfo.InvariantCulture, $"worker-{i}");
    builder.Services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<StoryWorker>(sp, workerId));
}

using var metrics = new MetricsSummary();
ProgressReporter reporter;
RunState state;
try
{
    using var host = builder.Build();
    reporter = host.Services.GetRequiredService<ProgressReporter>();
    state = host.Services.GetRequiredService<RunState>();
    await host.RunAsync();
}
catch (OptionsValidationException ex)
{
    // ValidateOnStart: the messages name the setting to fix and never contain the connection string.
    await Console.Error.WriteLineAsync($"Invalid settings: {string.Join(" ", ex.Failures)}");
    return 1;
}
catch (Exception ex) when (ex is not OperationCanceledException)
{
    // The host did not start: the database cannot be reached or opened, or a library setting does not parse.
    await Console.Error.WriteLineAsync($"The worker service could not start. {StartupFailure.Describe(ex, connectionString)}");
    return 1;
}

if (state.Failure is { } failure)
{
    await Console.Error.WriteLineAsync($"The worker service stopped on an error. {StartupFailure.Describe(failure, connectionString)}");
    return 1;
}

Console.WriteLine();
metrics.Print(Console.Out);
if (reporter.Final is not { } progress)
{
    Console.WriteLine("The host stopped before the run was created.");
    return 1;
}

Console.WriteLine();
Console.WriteLine($"Run {progress.RunId}");
Console.WriteLine($"  {"status",-12} {"stories",8}");
foreach (var (status, count) in progress.Stories)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {status,-12} {count,8:N0}"));
}

var left = progress.Stories[StoryStatus.Ready] + progress.Stories[StoryStatus.InProgress];
// Each start seeds a new run, so what is left stays in this run: another host could claim it with the run id above.
Console.WriteLine(left == 0
    ? "Every story was processed."
    : string.Create(CultureInfo.InvariantCulture, $"{left:N0} {(left == 1 ? "story" : "stories")} of this run left unprocessed (the next start seeds a new run)."));
return left == 0 ? 0 : 3;
