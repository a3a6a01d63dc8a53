namespace RunEngine.Data.Testing;

/// <summary>
/// One fault to inject through a <see cref="FaultProxy"/>: a point (<see cref="FaultPoint"/>), an action
/// (<see cref="FaultAction"/>) and its parameters. Armed with <see cref="FaultProxy.Arm"/>, it fires once, on the first
/// connection where its point is reached, and is then reported in <see cref="FaultProxy.Fired"/>.
/// </summary>
public sealed record WireFault(FaultPoint Point, FaultAction Action = FaultAction.Cut)
{
    /// <summary>N for <see cref="FaultPoint.ClientBytes"/>, <see cref="FaultPoint.ServerBytes"/>, <see cref="FaultPoint.BulkLoadBytes"/>; k for <see cref="FaultPoint.CopyData"/>.</summary>
    public long Count { get; init; }

    /// <summary>The statement text to look for (<see cref="FaultPoint.Statement"/>).</summary>
    public string? Text { get; init; }

    /// <summary>How long a stall holds the bytes.</summary>
    public TimeSpan Stall { get; init; }

    /// <summary>A readable name: the point, its parameter and the action.</summary>
    public string Name => Point switch
    {
        FaultPoint.ClientBytes or FaultPoint.ServerBytes or FaultPoint.BulkLoadBytes or FaultPoint.CopyData => $"{Point}({Count}) {Describe()}",
        FaultPoint.Statement => $"Statement('{Text}') {Describe()}",
        _ => $"{Point} {Describe()}",
    };

    /// <summary>Cuts a new connection as soon as it is accepted.</summary>
    public static WireFault CutAtConnect() => new(FaultPoint.Connect);

    /// <summary>Cuts the connection that sends the next client message, before that message is passed on.</summary>
    public static WireFault CutAtNextMessage() => new(FaultPoint.NextMessage);

    /// <summary>Cuts after <paramref name="bytes"/> bytes from the client.</summary>
    public static WireFault CutAfterClientBytes(long bytes) => new(FaultPoint.ClientBytes) { Count = Positive(bytes) };

    /// <summary>Cuts after <paramref name="bytes"/> bytes from the server.</summary>
    public static WireFault CutAfterServerBytes(long bytes) => new(FaultPoint.ServerBytes) { Count = Positive(bytes) };

    /// <summary>PostgreSQL: cuts after the <paramref name="k"/>-th CopyData message (1 = the first).</summary>
    public static WireFault CutAfterCopyData(long k) => new(FaultPoint.CopyData) { Count = Positive(k) };

    /// <summary>TDS: cuts after <paramref name="bytes"/> bytes of bulk-load packets.</summary>
    public static WireFault CutAfterBulkLoadBytes(long bytes) => new(FaultPoint.BulkLoadBytes) { Count = Positive(bytes) };

    /// <summary>Cuts once the client's COMMIT reached the server and the server replied (the reply never reaches the client).</summary>
    public static WireFault CutAfterCommit() => new(FaultPoint.Commit);

    /// <summary>Cuts once a statement containing <paramref name="text"/> was executed (its reply never reaches the client).</summary>
    public static WireFault CutAfterStatement(string text) => new(FaultPoint.Statement) { Text = NotEmpty(text) };

    /// <summary>Holds the client's COMMIT for <paramref name="stall"/>, then passes it on or (<paramref name="thenCut"/>) cuts without.</summary>
    public static WireFault StallCommit(TimeSpan stall, bool thenCut) =>
        new(FaultPoint.Commit, thenCut ? FaultAction.StallThenCut : FaultAction.StallThenPass) { Stall = stall };

    /// <summary>Holds a statement containing <paramref name="text"/> for <paramref name="stall"/>, then passes it on or cuts without.</summary>
    public static WireFault StallStatement(string text, TimeSpan stall, bool thenCut) =>
        new(FaultPoint.Statement, thenCut ? FaultAction.StallThenCut : FaultAction.StallThenPass) { Text = NotEmpty(text), Stall = stall };

    /// <summary>Holds the next client message for <paramref name="stall"/>, then passes it on or cuts without.</summary>
    public static WireFault StallNextMessage(TimeSpan stall, bool thenCut) =>
        new(FaultPoint.NextMessage, thenCut ? FaultAction.StallThenCut : FaultAction.StallThenPass) { Stall = stall };

    private string Describe() => Action switch
    {
        FaultAction.Cut => "cut",
        FaultAction.StallThenPass => $"stall {Stall.TotalMilliseconds:0} ms then pass",
        _ => $"stall {Stall.TotalMilliseconds:0} ms then cut",
    };

    private static long Positive(long value) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "At least 1.");

    private static string NotEmpty(string text) =>
        !string.IsNullOrEmpty(text) ? text : throw new ArgumentException("A statement text to look for.", nameof(text));
}
