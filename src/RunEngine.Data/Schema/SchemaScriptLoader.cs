using System.Globalization;
using System.Reflection;

namespace RunEngine.Data.Schema;

/// <summary>Reads a provider's schema scripts from embedded resources named <c>{prefix}.NNN_description.sql</c>.</summary>
internal static class SchemaScriptLoader
{
    public static IReadOnlyList<SchemaScript> Load(Assembly assembly, string resourcePrefix)
    {
        var scripts = new List<SchemaScript>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(resourcePrefix + ".", StringComparison.Ordinal) || !name.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var file = name[(resourcePrefix.Length + 1)..^4];
            var underscore = file.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(file[..underscore], NumberStyles.None, CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            scripts.Add(new SchemaScript(version, file[(underscore + 1)..].Replace('_', ' '), reader.ReadToEnd()));
        }

        if (scripts.Count == 0 || scripts.Min(s => s.Version) != 0)
        {
            throw new InvalidOperationException($"No bootstrap script (000_*.sql) among the resources {resourcePrefix}.*.");
        }

        return scripts.OrderBy(s => s.Version).ToArray();
    }
}
