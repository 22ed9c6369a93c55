namespace Svi.Server.Tests.Layout;

/// <summary>
/// No namespace of ours depends on itself through others: a change in one never has to be read with every other one
/// in its cycle. The edges below are the known exceptions, each a place where a lower layer still names a higher one;
/// a new cycle fails the build, and removing an exception is progress.
/// </summary>
public sealed class NamespaceCycleTests
{
    static readonly (string From, string To)[] KnownBackEdges =
    [
        // The options records (SviOptions, …) live in Hosting, which also composes the app.
        ("Svi.Server.Storage", "Svi.Server.Hosting"),
        ("Svi.Server.Contracts", "Svi.Server.Hosting"),
        ("Svi.Server.Images", "Svi.Server.Hosting"),
        ("Svi.Server.Jobs", "Svi.Server.Hosting"),
        ("Svi.Server.Api", "Svi.Server.Hosting"),
        ("Svi.Server.Observability", "Svi.Server.Hosting"),
        // The model schema lists the image formats the decoder accepts.
        ("Svi.Server.Contracts", "Svi.Server.Images"),
        // Attention picks its kernel from the runtime's options.
        ("Svi.Inference.Wan.Dit", "Svi.Inference.Runtime"),
        // The inventory and the architectures speak of the pipeline's model choice.
        ("Svi.Inference.Runtime", "Svi.Inference.Pipeline"),
        // The pipeline hands frames (RgbFrames, IFrameSink) to the render's output.
        ("Svi.Inference.Pipeline", "Svi.Inference.Rendering"),
        // The render puts the interpolating output in front of the server's at 32 fps.
        ("Svi.Inference.Rendering", "Svi.Inference.Interpolation"),
        // Loaders and the inventory recognise random-weight stand-ins.
        ("Svi.Inference.Weights", "Svi.Inference.Weights.Random"),
        ("Svi.Inference.Runtime", "Svi.Inference.Weights.Random"),
        ("Svi.Inference.Interpolation", "Svi.Inference.Weights.Random"),
    ];

    static IEnumerable<(string, string)> Sources() =>
        new[] { "Svi.Server", "Svi.Inference", "Svi.Kernels" }.SelectMany(project =>
            TorchSharpUsers.Sources(Path.Combine(RepositoryRoot.Find(), "src", project)).Select(s => ($"{project}/{s.Path}", s.Text)));

    [Fact]
    public void No_namespace_depends_on_itself_through_others_but_the_known_exceptions()
    {
        var graph = NamespaceGraph.Build(Sources());
        var cycles = NamespaceGraph.Cycles(graph, KnownBackEdges);

        Assert.True(cycles.Count == 0, "namespaces that depend on each other:\n" + string.Join("\n", cycles.Select(group =>
            string.Join("\n", from user in @group
                              from used in graph[user]
                              where @group.Contains(used.Key) && !KnownBackEdges.Contains((user, used.Key))
                              select $"  {user} -> {used.Key} ({string.Join(", ", used.Value)})"))));
    }

    [Fact]
    public void Every_known_exception_is_still_an_edge()
    {
        var graph = NamespaceGraph.Build(Sources());

        Assert.All(KnownBackEdges, edge => Assert.True(graph[edge.From].ContainsKey(edge.To), $"{edge.From} no longer uses {edge.To}: drop the exception"));
    }

    [Fact]
    public void A_cycle_through_a_using_or_a_qualified_name_is_found_and_a_comment_is_no_use()
    {
        (string, string)[] sources =
        [
            ("Media/Writer.cs", "using Svi.Server.Jobs;\nnamespace Svi.Server.Media;\nclass Writer { }"),
            ("Jobs/Job.cs", "namespace Svi.Server.Jobs;\nclass Job { Svi.Server.Media.Writer? w; }"),
            ("Api/Api.cs", "namespace Svi.Server.Api;\n// Svi.Server.Jobs calls back into Svi.Server.Api\nclass Api { Svi.Server.Jobs.Job? j; }"),
        ];

        var graph = NamespaceGraph.Build(sources);

        Assert.Equal([["Svi.Server.Jobs", "Svi.Server.Media"]], NamespaceGraph.Cycles(graph, []));
        Assert.Empty(NamespaceGraph.Cycles(graph, [("Svi.Server.Media", "Svi.Server.Jobs")]));
        Assert.Equal(["Api/Api.cs"], graph["Svi.Server.Api"]["Svi.Server.Jobs"]);
    }
}
