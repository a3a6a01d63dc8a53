namespace RunEngine.Data;

/// <summary>
/// A worker tried to renew, complete or release a story whose lease it no longer holds (the lease expired and the
/// story may have been claimed by another worker, or its version changed). Nothing was changed.
/// </summary>
public sealed class LeaseLostException : RunEngineDataException
{
    /// <summary>Creates the exception.</summary>
    public LeaseLostException(Guid storyId, string workerId, string reason)
        : base($"Worker '{workerId}' no longer holds the lease on Story {storyId}: {reason}. Nothing was changed.")
    {
        StoryId = storyId;
        WorkerId = workerId;
        Reason = reason;
    }

    /// <summary>The story.</summary>
    public Guid StoryId { get; }

    /// <summary>The worker that lost the lease.</summary>
    public string WorkerId { get; }

    /// <summary>Why the lease is no longer the worker's.</summary>
    public string Reason { get; }
}
