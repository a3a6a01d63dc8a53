using BenchmarkDotNet.Attributes;
using RunEngine.Data.Bulk;
using RunEngine.Data.Mapping;
using RunEngine.Data.Validation;

namespace RunEngine.Data.Benchmarks;

/// <summary>
/// The library's in-process cost per row, without a database: generating the entity, the row source (validation,
/// duplicate-id and parent tracking), SQL Server's streaming <see cref="EntityDataReader{T}"/> read through
/// <c>GetValue</c> and through typed getters, and PostgreSQL-style typed extraction from the table map.
/// Each benchmark handles <see cref="Rows"/> cards; results are per row (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class RowPipelineBenchmarks
{
    private const int RowCount = 100_000;
    private readonly WriteContext _context = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly TableMap<Card> _map = RunEngineTables.Cards;
    private readonly ValueSink _sink = new();
    private TypedExtractor<Card> _extractor = null!;
    private RowValidator<Card> _validator = null!;
    private Card[] _cards = null!;

    public static int Rows => RowCount;

    [GlobalSetup]
    public void Setup()
    {
        _extractor = new TypedExtractor<Card>(_map);
        _validator = new RowValidator<Card>(_map);
        _cards = BenchCards.Stream(RowCount).ToArray();
    }

    /// <summary>The baseline every other row cost sits on: the caller's lazy generator.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = RowCount)]
    public long Generate()
    {
        long n = 0;
        foreach (var card in BenchCards.Stream(RowCount))
        {
            n += card.Position;
        }

        return n;
    }

    /// <summary>Validation alone (every column's rules, JSON metadata parsed), over pre-built cards.</summary>
    [Benchmark(OperationsPerInvoke = RowCount)]
    public int ValidateOnly()
    {
        for (var i = 0; i < _cards.Length; i++)
        {
            _validator.Validate(_cards[i], i, _context);
        }

        return _cards.Length;
    }

    /// <summary>Checking one metadata document (the largest part of validation).</summary>
    [Benchmark(OperationsPerInvoke = RowCount)]
    public int JsonCheckOnly()
    {
        var errors = 0;
        for (var i = 0; i < _cards.Length; i++)
        {
            if (_cards[i].Metadata is { } json && JsonText.FindError(json) is not null)
            {
                errors++;
            }
        }

        return errors;
    }

    /// <summary>Generator + row source: validation, duplicate ids, parent references, cancellation, progress.</summary>
    [Benchmark(OperationsPerInvoke = RowCount)]
    public async Task<long> RowSourceWithValidation()
    {
        await using var rows = (await RowSource<Card>.OpenAsync(_map, BenchCards.Stream(RowCount), _context, BulkInsertOptions.Default, CancellationToken.None))!;
        while (await rows.MoveNextAsync())
        {
        }

        return rows.Count;
    }

    /// <summary>Generator + row source + typed extraction of every column (how the PostgreSQL COPY writer reads a row).</summary>
    [Benchmark(OperationsPerInvoke = RowCount)]
    public async Task<long> TypedExtraction()
    {
        await using var rows = (await RowSource<Card>.OpenAsync(_map, BenchCards.Stream(RowCount), _context, BulkInsertOptions.Default, CancellationToken.None))!;
        while (await rows.MoveNextAsync())
        {
            _extractor.Extract(rows.Current, rows.Context, _sink);
        }

        return _sink.Checksum;
    }

    /// <summary>Generator + row source + EntityDataReader, every column through GetValue (what SqlBulkCopy does).</summary>
    [Benchmark(OperationsPerInvoke = RowCount)]
    public async Task<long> DataReaderGetValue()
    {
        await using var rows = (await RowSource<Card>.OpenAsync(_map, BenchCards.Stream(RowCount), _context, BulkInsertOptions.Default, CancellationToken.None))!;
        using var reader = new EntityDataReader<Card>(rows);
        var width = reader.FieldCount;
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < width; i++)
            {
                if (!reader.IsDBNull(i))
                {
                    _sink.Write(reader.GetValue(i));
                }
            }
        }

        return _sink.Checksum;
    }

    /// <summary>Generator + row source + EntityDataReader, every column through its typed getter.</summary>
    [Benchmark(OperationsPerInvoke = RowCount)]
    public async Task<long> DataReaderTyped()
    {
        await using var rows = (await RowSource<Card>.OpenAsync(_map, BenchCards.Stream(RowCount), _context, BulkInsertOptions.Default, CancellationToken.None))!;
        using var reader = new EntityDataReader<Card>(rows);
        while (await reader.ReadAsync())
        {
            _sink.Write(reader.GetGuid(0));
            _sink.Write(reader.GetGuid(1));
            _sink.Write(reader.GetGuid(2));
            _sink.Write(reader.GetInt32(3));
            _sink.Write(reader.GetString(4));
            _sink.Write(reader.IsDBNull(5) ? null : reader.GetString(5));
            _sink.Write(reader.GetInt16(6));
            _sink.Write(reader.GetInt32(7));
            _sink.Write(reader.GetFieldValue<DateTimeOffset>(8));
            _sink.Write(reader.GetFieldValue<DateTimeOffset>(9));
            _sink.Write(reader.IsDBNull(10) ? null : reader.GetString(10));
        }

        return _sink.Checksum;
    }
}
