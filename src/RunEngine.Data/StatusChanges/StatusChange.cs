namespace RunEngine.Data;

/// <summary>
/// One versioned status change of a set-based call (<see cref="IStoryRepository.UpdateStatusesAsync(IEnumerable{StatusChange{StoryStatus}}, StatusChangeOptions?, CancellationToken)"/>,
/// <see cref="ICardRepository.UpdateStatusesAsync(IEnumerable{StatusChange{CardStatus}}, StatusChangeOptions?, CancellationToken)"/>):
/// the row <paramref name="Id"/> gets <paramref name="Status"/> when its stored version is <paramref name="ExpectedVersion"/>.
/// </summary>
/// <typeparam name="TStatus"><see cref="StoryStatus"/> or <see cref="CardStatus"/>.</typeparam>
/// <param name="Id">The row's id; must not be <see cref="Guid.Empty"/>, and must not repeat in one batch.</param>
/// <param name="ExpectedVersion">The version the caller read; the change applies only when it is still the stored one.</param>
/// <param name="Status">The new status; must be a defined value.</param>
public readonly record struct StatusChange<TStatus>(Guid Id, int ExpectedVersion, TStatus Status)
    where TStatus : struct, Enum
{
    /// <summary>
    /// The run-log message of the change. Default null: the library writes the message the single-row
    /// <c>UpdateStatusAsync</c> writes ("status set to Completed (version 3)"). At most
    /// <see cref="RunEngineLimits.EventMessageMaxLength"/> UTF-16 code units, under the library's text rule.
    /// </summary>
    public string? Message { get; init; }
}
