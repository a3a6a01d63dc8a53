namespace RunEngine.Data.Repositories;

/// <summary>
/// One call of <see cref="IStoryClaims.ClaimAsync"/> across its attempts: the caller's values, the host's time, and the
/// ids of the <c>story.claimed</c> entries every attempt sent with a commit (or its one autocommit statement), which a
/// repeat after an unknown outcome looks for to find the stories already claimed for this call.
/// </summary>
internal sealed class ClaimCall
{
    public ClaimCall(Guid runId, string workerId, int maxStories, TimeSpan lease, DateTimeOffset hostNow)
    {
        RunId = runId;
        WorkerId = workerId;
        MaxStories = maxStories;
        Lease = lease;
        HostNow = hostNow;
    }

    public Guid RunId { get; }

    public string WorkerId { get; }

    public int MaxStories { get; }

    public TimeSpan Lease { get; }

    /// <summary>The host's time of the call (read by the statements only with <see cref="LeaseClock.Host"/>).</summary>
    public DateTimeOffset HostNow { get; }

    /// <summary>The entry ids sent so far by attempts that sent their commit.</summary>
    public List<Guid> SentEventIds { get; } = [];
}
