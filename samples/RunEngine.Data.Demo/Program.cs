using RunEngine.Data.Demo;

DemoSettings settings;
try
{
    settings = DemoSettings.Parse(args);
}
catch (FormatException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}

if (settings.ShowHelp)
{
    Console.WriteLine(DemoSettings.Usage);
    return 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    var (db, target) = DemoDatabase.Create(settings);
    await using (db)
    {
        Console.WriteLine($"RunEngine.Data demo: {target}");
        await DemoRun.RunAsync(db, settings, cancel.Token);
    }

    Console.WriteLine();
    Console.WriteLine("Done.");
    return 0;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("Cancelled. The cycle in progress was rolled back; earlier cycles stay committed.");
    return 130;
}
catch (Exception ex)
{
    // The demo's last line of defence: any failure becomes one clear message (no connection string) and exit code 1.
    await Console.Error.WriteLineAsync($"The demo failed. {FailureMessage.Describe(ex, settings.Connection)}");
    return 1;
}
