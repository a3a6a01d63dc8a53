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
    },
});
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
});

// The library: options bound from configuration, the provider picked by RunEngineData:Provider.
builder.Services.Configure<RunEngineDataOptions>(builder.Configuration.GetSection("RunEngineData"));
builder.Services.AddRunEngineData(o => o.UseSqlite().UsePostgreSql());

// The sample: the run, its seeder (starts first), the progress log and the workers.
builder.Services.Configure<WorkerSettings>(builder.Configuration.GetSection("Worker"));
builder.Services.AddSingleton<RunState>();
builder.Services.AddHostedService<RunSeeder>();

// Registered before the workers: hosted services stop in reverse order, so the final progress is read after every
// worker has completed or released its stories.
builder.Services.AddSingleton<ProgressReporter>();
builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ProgressReporter>());
var workers = builder.Configuration.GetValue("Worker:Workers", new WorkerSettings().Workers);
for (var i = 1; i <= workers; i++)
{
    var workerId = string.Create(CultureInfo.InvariantCulture, $"worker-{i}");
    builder.Services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<StoryWorker>(sp, workerId));
}


using var metrics = new MetricsSummary();
ProgressReporter reporter;
using (var host = builder.Build())
{
    try
    {
        reporter = host.Services.GetRequiredService<ProgressReporter>();
        await host.RunAsync();
    }
    catch (OptionsValidationException ex)
    {
        // ValidateOnStart: the messages name the setting to fix and never contain the connection string.
        await Console.Error.WriteLineAsync($"Invalid settings: {string.Join(" ", ex.Failures)}");
        return 1;
    }
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
    Console.WriteLine($"  {status,-12} {count,8}");
}

var left = progress.Stories[StoryStatus.Ready] + progress.Stories[StoryStatus.InProgress];
Console.WriteLine(left == 0 ? "Every story was processed." : $"{left} stories left (released ones are Ready for the next start).");
return left == 0 ? 0 : 3;
