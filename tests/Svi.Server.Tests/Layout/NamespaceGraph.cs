namespace Svi.Server.Tests.Layout;

/// <summary>
/// Which of our namespaces each namespace uses (a <c>using</c> directive or a qualified name outside a comment), and
/// the cycles among them: groups of namespaces each of which reaches every other one.
/// </summary>
public static partial class NamespaceGraph
{
    /// <param name="sources">the text of each C# file</param>
    /// <returns>each declared namespace → the other declared namespaces it uses, with the files that use them</returns>
    public static IReadOnlyDictionary<string, Dictionary<string, SortedSet<string>>> Build(IEnumerable<(string Path, string Text)> sources)
    {
        var files = sources.Select(s => (s.Path, Code: Comments().Replace(s.Text, ""))).Select(s => (s.Path, s.Code, Namespace: Declared(s.Code)))
            .Where(s => s.Namespace is not null).ToList();
        var declared = files.Select(f => f.Namespace!).ToHashSet(StringComparer.Ordinal);
        var graph = declared.ToDictionary(n => n, _ => new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal));
        foreach (var (path, code, ns) in files)
            foreach (Match name in QualifiedName().Matches(code))
                if (Prefixes(name.Value).FirstOrDefault(declared.Contains) is { } used && used != ns)
                {
                    if (!graph[ns!].TryGetValue(used, out var users)) graph[ns!][used] = users = new SortedSet<string>(StringComparer.Ordinal);
                    users.Add(path);
                }
        return graph;
    }

    /// <summary>The groups of namespaces that depend on each other, once the <paramref name="allowed"/> edges are left out.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Cycles(IReadOnlyDictionary<string, Dictionary<string, SortedSet<string>>> graph,
        IEnumerable<(string From, string To)> allowed)
    {
        var skip = allowed.ToHashSet();
        var edges = graph.ToDictionary(kv => kv.Key, kv => kv.Value.Keys.Where(to => !skip.Contains((kv.Key, to))).Order(StringComparer.Ordinal).ToList());
        // Tarjan's strongly connected components.
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var cycles = new List<IReadOnlyList<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in edges[v])
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var group = new List<string>();
            string member;
            do { member = stack.Pop(); onStack.Remove(member); group.Add(member); } while (member != v);
            if (group.Count > 1) cycles.Add([.. group.Order(StringComparer.Ordinal)]);
        }
        foreach (var v in edges.Keys.Order(StringComparer.Ordinal))
            if (!index.ContainsKey(v)) Visit(v);
        return cycles;
    }

    static IEnumerable<string> Prefixes(string name)
    {
        for (var n = name; n.Contains('.'); n = n[..n.LastIndexOf('.')]) yield return n;
    }

    static string? Declared(string code) => Namespace().Match(code) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"^namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"(?<![\w.])Svi(\.\w+)+")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();
}
