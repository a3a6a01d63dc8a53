namespace RunEngine.Data;

/// <summary>Options of a set-based status change.</summary>
public sealed class StatusChangeOptions
{
    /// <summary>The defaults: <see cref="StatusChangeMode.AllOrNothing"/>.</summary>
    public static StatusChangeOptions Default { get; } = new();

    /// <summary>Apply the changes that match and report the others (<see cref="StatusChangeMode.ApplyWhatMatches"/>).</summary>
    public static StatusChangeOptions ApplyWhatMatches { get; } = new() { Mode = StatusChangeMode.ApplyWhatMatches };

    /// <summary>What happens when some changes do not match. Default <see cref="StatusChangeMode.AllOrNothing"/>.</summary>
    public StatusChangeMode Mode { get; init; } = StatusChangeMode.AllOrNothing;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Mode"/> is not a defined value.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Mode must be a defined StatusChangeMode value.");
        }
    }
}
