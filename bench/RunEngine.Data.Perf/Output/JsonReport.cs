using System.Text.Json;

namespace RunEngine.Data.Perf.Output;

/// <summary>The same data as the Markdown tables, as JSON (<c>--json FILE</c>).</summary>
internal static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static async Task WriteAsync(string path, EnvironmentInfo environment, IReadOnlyList<Measurement.Measurement> results, object? streaming)
    {
        var document = new { environment, results, streaming };
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, document, Options);
    }
}
