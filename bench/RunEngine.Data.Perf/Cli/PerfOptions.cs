using System.Globalization;

namespace RunEngine.Data.Perf.Cli;

/// <summary>The runner's command line. See <see cref="Usage"/>.</summary>
internal sealed class PerfOptions
{
    public const string Usage = """
        RunEngine.Data perf runner: inserts N cards (with their stories, 10 cards per story) by each method and prints a Markdown table;
        with --workload lifecycle, processes a written run (claim, cards to InProgress then Completed, complete) instead.

          dotnet run -c Release --project bench/RunEngine.Data.Perf -- [options]

          --workload NAME       insert (default: the tables below), faults (below) or lifecycle: a run of --stories × --cards written with
                                WriteCycleAsync (untimed), then --workers workers each claiming --claim stories at a time,
                                moving every card of each claimed story to InProgress and then Completed and completing the
                                story, timed until nothing is claimable, verified afterwards; plus set-based at 200 stories
                                with K × 10 and C × 10 (statements per worker batch)
                                faults: the fault matrix's operations (cycles Fail/Skip, UpdateStatusesAsync,
                                UpdateStatusAsync, ClaimAsync, CompleteManyAsync) with retry on, through a fault-injection
                                proxy: per round and operation, a cut at open, before the first byte, mid-COPY/bulk load
                                (random point), after COMMIT, after a random client byte, a stall beyond the command timeout
                                and a killed idle connection; prints faults injected, operations survived, rows and changes
                                lost and doubled (PostgreSQL and/or SQL Server)
          --rounds N            faults: rounds of random cut points (default 3)
          --seed N              faults: the random cut points' seed (default: a new one, printed)
          --quick               insert: sizes 10, 1,000, 10,000 with 3 timed runs each (under a minute on SQLite);
                                lifecycle: the same run shape with 3 timed runs per method (a few minutes on SQLite)
          --sqlite PATH         SQLite file (WAL); default a new temp file, deleted afterwards; "off" to skip SQLite
          --postgres CS         PostgreSQL connection string (default: env RUNENGINE_TEST_POSTGRES)
          --sqlserver CS        SQL Server connection string (default: env RUNENGINE_TEST_SQLSERVER)
          --sizes LIST          card counts, e.g. 10,1000,100000 (default 10,1000,10000,100000,1000000;
                                sizes above 100,000 run only library, raw-limit and linq2db)
          --methods LIST        naive,naive-tx,dapper-list,multi-row,library,raw-limit,tvp,linq2db,efcore (default: all
                                that apply); naive auto-commits every row, naive-tx and all others write the cycle in one
                                transaction; linq2db (BulkCopyAsync, ProviderSpecific) and efcore (AddRange + SaveChanges)
                                are the peers, SQLite and PostgreSQL only, each first checked (untimed) to store rows
                                identical to the library's;
                                lifecycle: naive (hand-written Dapper, one auto-committed statement per change), per-row (the
                                library's single-row calls), set-based (its batch calls), efcore (EF Core 10, one SaveChanges
                                per step, version as concurrency token; SQLite and PostgreSQL)
          --reps N              timed runs per cell (default 7 up to 10,000 cards, 5 up to 100,000, 3 above; lifecycle 5, --quick 3)
          --stories S           lifecycle: stories in the run (default 1000)
          --cards C             lifecycle: cards per story (default 10)
          --workers W           lifecycle: workers processing the run in parallel (default 4)
          --claim K             lifecycle: stories per claim (default 10)
          --chunk ROWS          rows per multi-row statement (default: SQLite 20, PostgreSQL 1,000, SQL Server 190)
          --small-batch-threshold N   SQL Server: the library's SmallBatchThreshold (default: the library's, 50; 0 = always SqlBulkCopy)
          --budget SECONDS      skip a cell whose predicted single run exceeds this (default 60)
          --json FILE           also write the results as JSON
          --streaming-check     insert --streaming-cards cards through the library from a lazy generator and report
                                the live managed heap's growth and the peak including garbage (SQLite, and PostgreSQL
                                when given) instead of the table; with several sizes, also the growth ratio per database
          --streaming-cards N[,N...]  cards per streaming batch (default 100000,10000000: the issue's two sizes)
          --streaming-changes N[,N...]  with --streaming-check: instead of inserting, bulk-insert N cards (unmeasured),
                                then stream N card status changes from a lazy generator through
                                Cards.UpdateStatusesAsync and report the same figures (e.g. 100000,1000000)
          --delete-run-check    time DeleteRunAsync of one run right after its bulk insert (no ANALYZE) at schema v2, v3, and
                                v3 with the old cards (run_id) index, with the plan of the foreign-key check (SQLite, and
                                PostgreSQL when given)
          --delete-run-cards N  cards of that run, 10 per story (default 100,000)
          --help                this text
        """;

    public static readonly string[] AllMethods = ["naive", "naive-tx", "dapper-list", "multi-row", "library", "raw-limit", "tvp", "linq2db", "efcore"];

    public const string InsertWorkload = "insert";

    public const string LifecycleWorkload = "lifecycle";

    public const string FaultsWorkload = "faults";

    private int? _repetitions;

    public bool Quick { get; private set; }

    public bool Help { get; private set; }

    /// <summary>SQLite file path; null for a temp file; "off" to skip.</summary>
    public string? SqlitePath { get; private set; }

    public bool SqliteEnabled => !string.Equals(SqlitePath, "off", StringComparison.OrdinalIgnoreCase);

    public string? Postgres { get; private set; } = Environment.GetEnvironmentVariable("RUNENGINE_TEST_POSTGRES");

    public string? SqlServer { get; private set; } = Environment.GetEnvironmentVariable("RUNENGINE_TEST_SQLSERVER");

    public IReadOnlyList<int> Sizes { get; private set; } = [10, 1_000, 10_000, 100_000, 1_000_000];

    public IReadOnlySet<string> Methods { get; private set; } = new HashSet<string>(AllMethods);

    /// <summary>Sizes above this run only the bulk paths (library, raw-limit, linq2db).</summary>
    public int LargestCommonSize => 100_000;

    public double BudgetSeconds { get; private set; } = 60;

    /// <summary>SQL Server's SmallBatchThreshold for the library; null for the library's default.</summary>
    public int? SmallBatchThreshold { get; private set; }

    /// <summary>Rows per multi-row statement; null for each database's default.</summary>
    public int? ChunkRows { get; private set; }

    public string? JsonPath { get; private set; }

    public bool StreamingCheck { get; private set; }

    public int[] StreamingCards { get; private set; } = [100_000, 10_000_000];

    /// <summary>Sizes of the status-change streaming check; null to check inserts.</summary>
    public int[]? StreamingChanges { get; private set; }

    public bool DeleteRunCheck { get; private set; }

    public int DeleteRunCards { get; private set; } = 100_000;

    /// <summary>insert (the default) or lifecycle.</summary>
    public string Workload { get; private set; } = InsertWorkload;

    public bool Lifecycle => Workload == LifecycleWorkload;

    public bool Faults => Workload == FaultsWorkload;

    /// <summary>faults: rounds of random cut points.</summary>
    public int Rounds { get; private set; } = 3;

    /// <summary>faults: the seed of the random cut points; null for a new one.</summary>
    public int? Seed { get; private set; }

    public int Stories { get; private set; } = 1_000;

    public int CardsPerStory { get; private set; } = 10;

    public int Workers { get; private set; } = 4;

    public int Claim { get; private set; } = 10;

    public int LifecycleRepetitions => _repetitions ?? (Quick ? 3 : 5);

    public int Repetitions(int cards) => _repetitions ?? (Quick ? 3 : cards <= 10_000 ? 7 : cards <= 100_000 ? 5 : 3);

    public static PerfOptions Parse(IReadOnlyList<string> args)
    {
        var options = new PerfOptions();
        var sizesGiven = false;
        string? methods = null;
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--quick": options.Quick = true; break;
                case "--sqlite": options.SqlitePath = Value(); break;
                case "--postgres": options.Postgres = Value(); break;
                case "--sqlserver": options.SqlServer = Value(); break;
                case "--sizes": options.Sizes = ParseSizes(Value()); sizesGiven = true; break;
                case "--methods": methods = Value(); break;
                case "--workload": options.Workload = ParseWorkload(Value()); break;
                case "--stories": options.Stories = PositiveInt(Value(), "--stories"); break;
                case "--cards": options.CardsPerStory = PositiveInt(Value(), "--cards"); break;
                case "--workers": options.Workers = PositiveInt(Value(), "--workers"); break;
                case "--claim": options.Claim = PositiveInt(Value(), "--claim"); break;
                case "--rounds": options.Rounds = PositiveInt(Value(), "--rounds"); break;
                case "--seed": options.Seed = PositiveInt(Value(), "--seed"); break;
                case "--reps": options._repetitions = PositiveInt(Value(), "--reps"); break;
                case "--chunk": options.ChunkRows = PositiveInt(Value(), "--chunk"); break;
                case "--small-batch-threshold": options.SmallBatchThreshold = NonNegativeInt(Value(), "--small-batch-threshold"); break;
                case "--budget": options.BudgetSeconds = PositiveInt(Value(), "--budget"); break;
                case "--json": options.JsonPath = Value(); break;
                case "--streaming-check": options.StreamingCheck = true; break;
                case "--streaming-cards": options.StreamingCards = ParseSizes(Value(), "--streaming-cards"); break;
                case "--streaming-changes": options.StreamingChanges = ParseSizes(Value(), "--streaming-changes"); break;
                case "--delete-run-check": options.DeleteRunCheck = true; break;
                case "--delete-run-cards": options.DeleteRunCards = PositiveInt(Value(), "--delete-run-cards"); break;
                case "--help" or "-h" or "-?": options.Help = true; break;
                default: throw new ArgumentException($"Unknown option {args[i]}. Use --help.");
            }
        }

        if (options.StreamingChanges is not null && !options.StreamingCheck)
        {
            throw new ArgumentException("--streaming-changes needs --streaming-check.");
        }

        var known = options.Lifecycle ? Perf.Lifecycle.LifecycleMethods.Create().Select(m => m.Name).ToArray() : AllMethods;
        options.Methods = methods is null ? new HashSet<string>(known) : ParseMethods(methods, known);
        if (options.Lifecycle && options.Claim * 10 > 1_000)
        {
            throw new ArgumentException($"--claim is at most 100 (the K/C grid claims K × 10 stories, and a claim takes at most 1,000), got {options.Claim}.");
        }

        if (options.Quick && !sizesGiven)
        {
            options.Sizes = [10, 1_000, 10_000];
        }

        options.Postgres = string.IsNullOrWhiteSpace(options.Postgres) ? null : options.Postgres;
        options.SqlServer = string.IsNullOrWhiteSpace(options.SqlServer) ? null : options.SqlServer;
        return options;
    }

    private static int[] ParseSizes(string value, string option = "--sizes") =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => PositiveInt(s.Replace("_", string.Empty, StringComparison.Ordinal), option))
            .Distinct()
            .Order()
            .ToArray();

    private static HashSet<string> ParseMethods(string value, IReadOnlyCollection<string> known)
    {
        var methods = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = methods.Except(known).ToArray();
        return unknown.Length == 0 ? methods : throw new ArgumentException($"Unknown method(s): {string.Join(", ", unknown)}.");
    }

    private static string ParseWorkload(string value) =>
        value is InsertWorkload or LifecycleWorkload or FaultsWorkload ? value : throw new ArgumentException($"--workload is insert, lifecycle or faults, got \"{value}\".");

    private static int NonNegativeInt(string value, string option) =>
        value == "0" ? 0 : PositiveInt(value, option);

    private static int PositiveInt(string value, string option) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{option} needs a positive whole number, got \"{value}\".");
}
