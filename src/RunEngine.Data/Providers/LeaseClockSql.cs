using Dapper;

namespace RunEngine.Data.Providers;

/// <summary>
/// How lease statements read "now" and the new expiry (<see cref="LeaseClock"/>). A statement is written with
/// <see cref="Now"/> and <see cref="Expires"/> in place of the times and starts with <see cref="Prologue"/>; the
/// repository adds the parameters they need with <see cref="AddParameters"/>.
/// </summary>
internal sealed class LeaseClockSql
{
    private readonly string _prologue;
    private readonly string _expiresPrologue;

    /// <summary>The host's clock: the times are the parameters <c>@Now</c> and <c>@Expires</c>.</summary>
    public static LeaseClockSql Host { get; } = new(LeaseClock.Host, string.Empty, string.Empty, "@Now", "@Expires");

    /// <summary>A database clock; the expiry texts may read <c>@LeaseMicroseconds</c> (the lease, a bigint).</summary>
    public LeaseClockSql(LeaseClock clock, string prologue, string expiresPrologue, string now, string expires)
    {
        Clock = clock;
        _prologue = prologue;
        _expiresPrologue = expiresPrologue;
        Now = now;
        Expires = expires;
    }

    /// <summary>Which clock.</summary>
    public LeaseClock Clock { get; }

    /// <summary>
    /// Text that goes before a statement (SQL Server declares its times once per batch; empty elsewhere).
    /// <paramref name="expires"/>: whether the statement reads <see cref="Expires"/> (and so needs <c>@LeaseMicroseconds</c>).
    /// </summary>
    public string Prologue(bool expires) => expires ? _prologue + _expiresPrologue : _prologue;

    /// <summary>The current time as a UTC timestamp of the provider's stored form, one value for the whole statement.</summary>
    public string Now { get; }

    /// <summary><see cref="Now"/> plus the lease.</summary>
    public string Expires { get; }

    /// <summary>Adds the values the texts read: the host's times, or the lease for the database to add.</summary>
    /// <param name="parameters">The statement's parameters.</param>
    /// <param name="hostNow">The host's time, normalized (used by <see cref="LeaseClock.Host"/> only).</param>
    /// <param name="lease">The lease, for statements that compute an expiry; null otherwise.</param>
    public DynamicParameters AddParameters(DynamicParameters parameters, DateTimeOffset hostNow, TimeSpan? lease)
    {
        if (Clock == LeaseClock.Host)
        {
            parameters.Add("Now", hostNow);
            if (lease is { } hostLease)
            {
                parameters.Add("Expires", Mapping.Timestamps.Normalize(hostNow + hostLease));
            }
        }
        else if (lease is { } databaseLease)
        {
            // Whole microseconds, the precision every provider stores.
            parameters.Add("LeaseMicroseconds", databaseLease.Ticks / TimeSpan.TicksPerMicrosecond);
        }

        return parameters;
    }
}
