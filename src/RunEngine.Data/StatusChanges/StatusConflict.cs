namespace RunEngine.Data;

/// <summary>A status change that was not applied because the stored version differs from the expected one.</summary>
/// <param name="Id">The row's id.</param>
/// <param name="ExpectedVersion">The version the change expected.</param>
/// <param name="ActualVersion">The version stored when the batch was applied.</param>
public readonly record struct StatusConflict(Guid Id, int ExpectedVersion, int ActualVersion);
