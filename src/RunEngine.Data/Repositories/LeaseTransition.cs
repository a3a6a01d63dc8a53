using Dapper;

namespace RunEngine.Data.Repositories;

/// <summary>One call of a single-claim lease transition (renew, complete, release), its client-made values made once.</summary>
/// <param name="Claim">The caller's claim.</param>
/// <param name="Sql">The statement: the one-statement form with its log entry, or the UPDATE alone.</param>
/// <param name="OneStatement">Whether <paramref name="Sql"/> writes the log entry itself (and so runs in autocommit on a connection of the library's own).</param>
/// <param name="Parameters">The statement's parameters (the host's time included).</param>
/// <param name="Kind">The log entry's kind.</param>
/// <param name="Message">The log entry's message; null for a renewal (written from the stored expiry).</param>
/// <param name="EventId">The log entry's id: stored exactly when the transition is.</param>
internal sealed record LeaseTransition(
    StoryClaim Claim, string Sql, bool OneStatement, DynamicParameters Parameters, string Kind, string? Message, Guid EventId);
