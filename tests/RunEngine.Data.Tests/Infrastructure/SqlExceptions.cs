using System.Reflection;
using Microsoft.Data.SqlClient;

namespace RunEngine.Data.Tests.Infrastructure;

/// <summary>SqlException has no public constructor: builds one the way SqlClient does, through its internal factory.</summary>
internal static class SqlExceptions
{
    public static SqlException Create(int number, Exception? inner = null, string message = "test")
    {
        const BindingFlags Internal = BindingFlags.NonPublic | BindingFlags.Instance;
        var errorConstructor = typeof(SqlError).GetConstructors(Internal)
            .Where(c => c.GetParameters() is { Length: > 6 } p && p[0].ParameterType == typeof(int) && p[1].ParameterType == typeof(byte))
            .OrderBy(c => c.GetParameters().Length)
            .First();
        var arguments = errorConstructor.GetParameters().Select(p => p.ParameterType switch
        {
            _ when p.Position == 0 => number,
            { } t when t == typeof(byte) => (byte)16,
            { } t when t == typeof(string) => p.Name == "errorMessage" ? message : "test",
            { } t when t == typeof(int) => 1,
            { } t when t == typeof(uint) => 0u,
            _ => p.HasDefaultValue ? p.DefaultValue : null,
        }).ToArray();
        var error = (SqlError)errorConstructor.Invoke(arguments);
        var collection = (SqlErrorCollection)Activator.CreateInstance(typeof(SqlErrorCollection), nonPublic: true)!;
        typeof(SqlErrorCollection).GetMethod("Add", Internal)!.Invoke(collection, [error]);
        var create = typeof(SqlException).GetMethods(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(m => m.Name == "CreateException" && m.GetParameters() is { Length: >= 4 } p
                && p[0].ParameterType == typeof(SqlErrorCollection) && p[1].ParameterType == typeof(string)
                && p[2].ParameterType == typeof(Guid) && p[3].ParameterType == typeof(Exception))
            .OrderBy(m => m.GetParameters().Length)
            .First();
        var parameters = create.GetParameters();
        var values = new object?[parameters.Length];
        values[0] = collection;
        values[1] = "16.0";
        values[2] = Guid.Empty;
        values[3] = inner;
        for (var i = 4; i < values.Length; i++)
        {
            values[i] = parameters[i].HasDefaultValue ? parameters[i].DefaultValue : null;
        }

        return (SqlException)create.Invoke(null, values)!;
    }
}
