using System.Globalization;

namespace RunEngine.Data.Perf.Lifecycle;

/// <summary>A lifecycle run's shape: S stories × C cards each, W workers claiming K stories at a time.</summary>
internal sealed record LifecycleShape(int Stories, int Cards, int Workers, int Claim)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Stories:N0}×{Cards:N0} W={Workers} K={Claim}");
}
