namespace RunEngine.Data.IntegrationTests.Faults;

/// <summary>What the database holds of one call's change: all of it exactly once, none of it, or something else (described).</summary>
public sealed record StoredChange(string State)
{
    public static StoredChange All { get; } = new("all");

    public static StoredChange None { get; } = new("none");

    public override string ToString() => State;
}
