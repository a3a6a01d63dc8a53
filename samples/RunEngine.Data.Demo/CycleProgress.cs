using System.Globalization;

namespace RunEngine.Data.Demo;

/// <summary>
/// Receives the library's progress reports for one cycle and draws them as one live line on a terminal. The library
/// reports rows handed over per table (stories first, then cards, each counting from zero), synchronously from the
/// writing thread, so no locking is needed. When output is redirected, only the final line per cycle is printed.
/// </summary>
internal sealed class CycleProgress : IProgress<long>
{
    private const int BarWidth = 24;
    private readonly CyclePlan _plan;
    private readonly int _totalCycles;
    private readonly bool _live;
    private bool _storiesDone;
    private long _stories;
    private long _cards;
    private int _lastLength;

    public CycleProgress(CyclePlan plan, int totalCycles, bool live)
    {
        _plan = plan;
        _totalCycles = totalCycles;
        _live = live;
    }

    public void Report(long value)
    {
        // Stories end with a report equal to their count; every report after that counts cards.
        if (_storiesDone)
        {
            _cards = value;
        }
        else
        {
            _stories = value;
            _storiesDone = value >= _plan.Stories.Count;
        }

        if (_live)
        {
            Draw(Line());
        }
    }

    /// <summary>Replaces the live line with the cycle's result (or prints it, when redirected).</summary>
    public void Complete(CycleTiming timing)
    {
        var rate = timing.Rows / Math.Max(timing.WallTime.TotalSeconds, 1e-6);
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"{Prefix()} {Counted.Stories(timing.Result.Stories),14}, {Counted.Cards(timing.Result.Cards),13} written in {timing.WallTime.TotalMilliseconds,7:N1} ms ({rate,9:N0} rows/s), committed");
        if (_live)
        {
            Draw(text);
            Console.WriteLine();
        }
        else
        {
            Console.WriteLine(text);
        }
    }

    /// <summary>Ends the live line after a failure so the error starts on its own line.</summary>
    public void Abandon()
    {
        if (_live && _lastLength > 0)
        {
            Console.WriteLine();
        }
    }

    private string Prefix()
    {
        var width = _totalCycles.ToString(CultureInfo.InvariantCulture).Length;
        return string.Create(CultureInfo.InvariantCulture, $"cycle {_plan.Number.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{_totalCycles}");
    }

    private string Line()
    {
        var done = (double)(_stories + _cards) / Math.Max(1, _plan.RowCount);
        var filled = (int)Math.Round(done * BarWidth);
        var bar = new string('#', filled) + new string('.', BarWidth - filled);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Prefix()} [{bar}] stories {_stories:N0}/{_plan.Stories.Count:N0}, cards {_cards:N0}/{_plan.CardCount:N0}");
    }

    private void Draw(string text)
    {
        var max = SafeWindowWidth() - 1;
        if (text.Length > max)
        {
            text = text[..max];
        }

        // Pad with spaces so a shorter line fully covers the previous one.
        Console.Write("\r" + text.PadRight(_lastLength));
        _lastLength = text.Length;
    }

    private static int SafeWindowWidth()
    {
        try
        {
            return Console.WindowWidth > 20 ? Console.WindowWidth : 120;
        }
        catch (IOException)
        {
            return 120;
        }
    }
}
