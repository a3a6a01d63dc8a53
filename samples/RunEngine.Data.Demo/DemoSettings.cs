using System.Globalization;

namespace RunEngine.Data.Demo;

/// <summary>The demo's command line, parsed by hand to keep the sample free of extra packages.</summary>
internal sealed class DemoSettings
{
    /// <summary>The SQLite file used when no connection string is given, in the current directory.</summary>
    public const string DefaultSqliteFile = "runengine-demo.db";

    public const string Usage = """
        Plays a small generation run and persists it with RunEngine.Data.

        Usage: dotnet run --project samples/RunEngine.Data.Demo [-- options]

        Options:
          --provider sqlite|postgres|sqlserver  Database to write to (default: sqlite).
          --connection "<connection string>"    Required for postgres and sqlserver; for sqlite the
                                                default is "Data Source=runengine-demo.db" (current directory).
          --cycles N                            Generation cycles, one transaction each (default: 5).
          --stories N                           Stories per cycle; each gets 5 to 12 cards (default: 20).
          --help                                Show this text.

        Exit code: 0 on success, 1 when the run fails, 2 for a bad command line.
        """;

    public string Provider { get; private set; } = "sqlite";

    public string? Connection { get; private set; }

    public int Cycles { get; private set; } = 5;

    public int StoriesPerCycle { get; private set; } = 20;

    public bool ShowHelp { get; private set; }

    /// <summary>Parses <paramref name="args"/>; throws <see cref="FormatException"/> with a message for the user.</summary>
    public static DemoSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new DemoSettings();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            switch (name)
            {
                case "--help" or "-h" or "-?":
                    settings.ShowHelp = true;
                    break;
                case "--provider":
                    settings.Provider = NormalizeProvider(Value(args, ref i));
                    break;
                case "--connection":
                    settings.Connection = Value(args, ref i);
                    break;
                case "--cycles":
                    settings.Cycles = Count(name, Value(args, ref i), max: 10_000);
                    break;
                case "--stories":
                    settings.StoriesPerCycle = Count(name, Value(args, ref i), max: 1_000_000);
                    break;
                default:
                    // A stray connection string must not be echoed back (it may hold a password).
                    var shown = name.Contains('=', StringComparison.Ordinal) ? "(a value containing '=')" : $"'{name}'";
                    throw new FormatException($"Unknown argument {shown}. Try --help.");
            }
        }

        if (settings.Provider != "sqlite" && string.IsNullOrWhiteSpace(settings.Connection) && !settings.ShowHelp)
        {
            throw new FormatException($"--provider {settings.Provider} needs --connection \"<connection string>\".");
        }

        return settings;
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new FormatException($"{args[i]} needs a value. Try --help.");
        }

        return args[++i];
    }

    private static string NormalizeProvider(string value) => value.ToUpperInvariant() switch
    {
        "SQLITE" => "sqlite",
        "POSTGRES" or "POSTGRESQL" or "PG" => "postgres",
        "SQLSERVER" or "MSSQL" => "sqlserver",
        _ => throw new FormatException($"Unknown provider '{value}'; use sqlite, postgres or sqlserver."),
    };

    private static int Count(string name, string value, int max)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1 || count > max)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{name} must be a whole number from 1 to {max}."));
        }

        return count;
    }
}
