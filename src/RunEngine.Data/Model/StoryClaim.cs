namespace RunEngine.Data;

/// <summary>
/// A story held by a worker until <see cref="LeaseExpiresAt"/>. Renew, complete or release it with this object: the
/// library checks that the lease is still the worker's (same worker, same version, not expired).
/// </summary>
/// <param name="Story">The story as it was when claimed or last renewed (status <see cref="StoryStatus.InProgress"/>).</param>
/// <param name="WorkerId">The worker holding the lease.</param>
/// <param name="LeaseExpiresAt">When the lease ends (UTC); after it, another worker may claim the story.</param>
public sealed record StoryClaim(Story Story, string WorkerId, DateTimeOffset LeaseExpiresAt)
{
    /// <summary>The claimed story's id.</summary>
    public Guid StoryId => Story.Id;

    /// <summary>The story's version under this lease.</summary>
    public int Version => Story.Version;
}
