namespace RunEngine.Data.Resilience;

/// <summary>A provider's reading of one exception of a chain (<see cref="TransientErrors.Reason"/>): undecided, or decided with its reason.</summary>
/// <param name="Decided">Whether the provider decided; false lets the shared rules decide.</param>
/// <param name="Reason">Why it is transient; null when it is not.</param>
internal readonly record struct TransientDecision(bool Decided, string? Reason)
{
    /// <summary>Let the shared rules decide.</summary>
    public static TransientDecision Undecided => default;

    /// <summary>Decided: transient for <paramref name="reason"/>, or not transient when it is null.</summary>
    public static TransientDecision Of(string? reason) => new(true, reason);
}
