namespace RunEngine.Data.StatusChanges;

/// <summary>What the provider's writer found and did: in all-or-nothing mode it changes nothing when the lists are not empty.</summary>
internal sealed record StatusChangeOutcome(long Changed, List<StatusConflict> Conflicts, List<Guid> Missing)
{
    public bool AllMatched => Conflicts.Count == 0 && Missing.Count == 0;
}
