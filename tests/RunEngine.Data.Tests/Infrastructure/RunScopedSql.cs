using System.Text;
using System.Text.RegularExpressions;

namespace RunEngine.Data.Tests.Infrastructure;

/// <summary>
/// A careful textual check that a statement names <c>run_id</c> for every row of the run-scoped tables it reads or
/// changes, so that on a database distributed by run (Citus) it is routed to one shard.
/// </summary>
/// <remarks>
/// The rule, applied to each statement of the text (split on <c>;</c>):
/// <list type="number">
/// <item>String literals and comments are blanked, identifier quotes (<c>"…"</c>, <c>[…]</c>) removed, case ignored.</item>
/// <item>A <b>reference</b> is one of the given tables right after <c>FROM</c>, <c>JOIN</c>, <c>UPDATE</c> or
/// <c>USING</c> (so <c>DELETE FROM</c> too), with its alias (<c>[AS] name</c>) when it has one. <c>INSERT INTO</c>,
/// <c>OUTPUT … INTO</c> and <c>COPY</c> targets are not references: they find no rows (the inserted row carries its run).</item>
/// <item>A reference's <b>block</b> is the query it belongs to: the text of its innermost enclosing parentheses (or the
/// whole statement), cut at <c>UNION</c>/<c>INTERSECT</c>/<c>EXCEPT</c>, with nested sub-queries (a parenthesis opening
/// with <c>SELECT</c>, <c>WITH</c>, <c>UPDATE</c>, <c>INSERT</c>, <c>DELETE</c> or <c>VALUES</c>) left out — each of
/// those is checked as a block of its own. Other parentheses (<c>AND (…)</c>, <c>= ANY(…)</c>) stay in.</item>
/// <item>The block's <b>conditions</b> are the text after each <c>WHERE</c> and <c>ON</c> up to the next clause
/// (<c>GROUP BY</c>, <c>ORDER BY</c>, <c>LIMIT</c>, <c>RETURNING</c>, <c>OUTPUT</c>, <c>FOR</c>, <c>JOIN</c>, …).</item>
/// <item>The reference is <b>scoped</b> when its conditions compare its run_id (<c>=</c>, <c>IN</c>, <c>= ANY</c>, on
/// either side): <c>alias.run_id</c> (or <c>table.run_id</c> without an alias), or a bare <c>run_id</c> when the block
/// reads from no other table or sub-query (one source after <c>FROM</c>/<c>JOIN</c>/<c>UPDATE</c>/<c>USING</c>, no comma
/// list). A join on <c>s.run_id = c.run_id</c> scopes <c>s</c> as well as <c>c</c>: the run of the one is the run of the other.</item>
/// </list>
/// It does not prove that the compared value is the right run; the tests name which statements must be scoped, and
/// the contract suite checks what they do.
/// </remarks>
internal static partial class RunScopedSql
{
    private static readonly string[] SubqueryHeads = ["SELECT", "WITH", "UPDATE", "INSERT", "DELETE", "VALUES"];

    /// <summary>
    /// The references of <paramref name="sql"/> to any of <paramref name="tables"/> (qualified, quoted as the provider
    /// writes them) whose block does not name their run_id; empty when the statement is run-scoped throughout.
    /// Each entry names the table, its alias and the block, for the failure message.
    /// </summary>
    public static IReadOnlyList<string> UnscopedReferences(string sql, IEnumerable<string> tables)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(tables);
        var names = tables.Select(Normalize).Select(t => t.Trim()).Where(t => t.Length > 0).ToArray();
        var failures = new List<string>();
        foreach (var statement in SplitStatements(Normalize(sql)))
        {
            foreach (Match reference in ReferenceHead().Matches(statement))
            {
                var at = reference.Index + reference.Length;
                var rest = statement[at..];
                var table = names.FirstOrDefault(n => rest.StartsWith(n, StringComparison.OrdinalIgnoreCase)
                    && (rest.Length == n.Length || !IsIdentifierChar(rest[n.Length])));
                if (table is null)
                {
                    continue;
                }

                var alias = AliasAfter(rest[table.Length..]);
                var block = BlockOf(statement, reference.Index);
                if (!Scoped(block, table, alias))
                {
                    failures.Add($"{table}{(alias is null ? string.Empty : " AS " + alias)} in: {Collapse(block)}");
                }
            }
        }

        return failures;
    }

    private static bool Scoped(string block, string table, string? alias)
    {
        var conditions = Conditions(block);
        var qualifier = alias ?? table;
        var qualified = new Regex(
            $@"(?<![\w.]){Regex.Escape(qualifier)}\s*\.\s*run_id\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        if (conditions.Any(c => Compared(c, qualified)))
        {
            return true;
        }

        return SourceCount(block) == 1 && conditions.Any(c => Compared(c, BareRunId()));
    }

    /// <summary>Whether a match of <paramref name="column"/> in the condition is an operand of a comparison (=, IN, = ANY).</summary>
    private static bool Compared(string condition, Regex column)
    {
        foreach (Match match in column.Matches(condition))
        {
            var before = condition[..match.Index].TrimEnd();
            var after = condition[(match.Index + match.Length)..].TrimStart();
            if (before.EndsWith('=') || after.StartsWith('=') || Regex.IsMatch(after, @"^IN\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The texts of the block's WHERE and ON clauses.</summary>
    private static List<string> Conditions(string block)
    {
        var result = new List<string>();
        foreach (Match head in ConditionHead().Matches(block))
        {
            var start = head.Index + head.Length;
            var end = ClauseEnd().Match(block, start) is { Success: true } next ? next.Index : block.Length;
            result.Add(block[start..end]);
        }

        return result;
    }

    /// <summary>How many row sources the block reads (FROM/JOIN/UPDATE/USING items, and each comma of a FROM list).</summary>
    private static int SourceCount(string block)
    {
        var count = 0;
        foreach (Match head in ReferenceHead().Matches(block))
        {
            count++;
            if (head.Value.TrimStart().StartsWith("FROM", StringComparison.OrdinalIgnoreCase))
            {
                var start = head.Index + head.Length;
                var end = ClauseEnd().Match(block, start) is { Success: true } next ? next.Index : block.Length;
                var whereAt = ConditionHead().Match(block, start) is { Success: true } where && where.Index < end ? where.Index : end;
                count += CommasOutsideParentheses(block[start..whereAt]);
            }
        }

        return count;
    }

    /// <summary>The commas of a FROM list between its items (not those of <c>WITH (UPDLOCK, ROWLOCK)</c> or a function's arguments).</summary>
    private static int CommasOutsideParentheses(string text)
    {
        var depth = 0;
        var commas = 0;
        foreach (var c in text)
        {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            commas += c == ',' && depth == 0 ? 1 : 0;
        }

        return commas;
    }

    /// <summary>
    /// The query block around <paramref name="position"/>: its innermost enclosing parentheses (or the statement), nested
    /// sub-queries left out, cut at set operators.
    /// </summary>
    private static string BlockOf(string statement, int position)
    {
        var depth = 0;
        var start = 0;
        for (var i = position - 1; i >= 0; i--)
        {
            if (statement[i] == ')')
            {
                depth++;
            }
            else if (statement[i] == '(')
            {
                if (depth == 0)
                {
                    start = i + 1;
                    break;
                }

                depth--;
            }
        }

        var end = statement.Length;
        depth = 0;
        for (var i = start; i < statement.Length; i++)
        {
            if (statement[i] == '(')
            {
                depth++;
            }
            else if (statement[i] == ')')
            {
                if (depth == 0)
                {
                    end = i;
                    break;
                }

                depth--;
            }
        }

        var flat = WithoutSubqueries(statement, start, end, out var mapped);
        // Cut at set operators: the part holding the reference.
        var here = mapped.IndexOf(position);
        var from = 0;
        foreach (Match separator in SetOperator().Matches(flat))
        {
            if (here >= 0 && here < separator.Index)
            {
                return flat[from..separator.Index];
            }

            from = separator.Index + separator.Length;
        }

        return flat[from..];
    }

    /// <summary>The text from <paramref name="start"/> to <paramref name="end"/> with nested sub-queries replaced by <c>(…)</c>.</summary>
    private static string WithoutSubqueries(string text, int start, int end, out List<int> positions)
    {
        var builder = new StringBuilder();
        positions = [];
        var i = start;
        while (i < end)
        {
            if (text[i] == '(')
            {
                var close = Matching(text, i);
                var inner = text[(i + 1)..close].TrimStart();
                if (SubqueryHeads.Any(h => inner.StartsWith(h, StringComparison.OrdinalIgnoreCase) && (inner.Length == h.Length || !IsIdentifierChar(inner[h.Length]))))
                {
                    builder.Append("(…)");
                    positions.AddRange([i, i, close]);
                    i = close + 1;
                    continue;
                }
            }

            builder.Append(text[i]);
            positions.Add(i);
            i++;
        }

        return builder.ToString();
    }

    private static int Matching(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')' && --depth == 0)
            {
                return i;
            }
        }

        return text.Length - 1;
    }

    private static string? AliasAfter(string rest)
    {
        var match = AliasPattern().Match(rest);
        if (!match.Success)
        {
            return null;
        }

        var name = match.Groups["alias"].Value;
        return NotAliases.Contains(name) ? null : name;
    }

    private static readonly HashSet<string> NotAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        "WHERE", "SET", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "JOIN", "ON", "ORDER", "GROUP", "LIMIT", "FOR", "WITH",
        "USING", "RETURNING", "UNION", "INTERSECT", "EXCEPT", "OUTPUT", "VALUES", "SELECT", "FROM", "HAVING", "OFFSET", "WINDOW",
        "OPTION", "NATURAL", "LATERAL", "TABLESAMPLE", "AND", "OR",
    };

    /// <summary>Splits on <c>;</c> (string literals are already blank).</summary>
    private static IEnumerable<string> SplitStatements(string sql) =>
        sql.Split(';').Where(s => !string.IsNullOrWhiteSpace(s));

    /// <summary>Blanks string literals and comments, removes identifier quotes.</summary>
    private static string Normalize(string sql)
    {
        var builder = new StringBuilder(sql.Length);
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (c == '\'')
            {
                // A literal, with '' as an escaped quote inside.
                builder.Append('\'');
                i++;
                while (i < sql.Length && !(sql[i] == '\'' && (i + 1 >= sql.Length || sql[i + 1] != '\'')))
                {
                    i += sql[i] == '\'' ? 2 : 1;
                    builder.Append(' ');
                }

                builder.Append('\'');
            }
            else if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                while (i < sql.Length && sql[i] != '\n')
                {
                    i++;
                }

                builder.Append('\n');
            }
            else if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var close = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = close < 0 ? sql.Length : close + 1;
                builder.Append(' ');
            }
            else if (c is '"' or '[' or ']')
            {
                continue;
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '.';

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"(?<![\w.])(?<!(FOR|DO|KEY)\s+)(FROM|JOIN|UPDATE|USING)\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReferenceHead();

    [GeneratedRegex(@"(?<![\w.])(WHERE|ON)\s", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConditionHead();

    [GeneratedRegex(
        @"(?<![\w.])(GROUP\s+BY|ORDER\s+BY|LIMIT|OFFSET|RETURNING|OUTPUT|FOR\s+UPDATE|FOR\s+SHARE|HAVING|WINDOW|OPTION|INNER|LEFT|RIGHT|FULL|CROSS|JOIN|WHERE|SET)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClauseEnd();

    [GeneratedRegex(@"(?<![\w.])(?:UNION(?:\s+ALL)?|INTERSECT|EXCEPT)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SetOperator();

    [GeneratedRegex(@"^\s+(AS\s+)?(?<alias>[A-Za-z_][A-Za-z0-9_]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AliasPattern();

    [GeneratedRegex(@"(?<![\w.])run_id\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BareRunId();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
