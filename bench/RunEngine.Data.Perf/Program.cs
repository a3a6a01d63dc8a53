using RunEngine.Data.Perf;
using RunEngine.Data.Perf.Cli;

PerfOptions options;
try
{
    options = PerfOptions.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(PerfOptions.Usage);
    return 0;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await PerfApp.RunAsync(options, cancellation.Token);
