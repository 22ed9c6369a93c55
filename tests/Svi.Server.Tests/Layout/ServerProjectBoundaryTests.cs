namespace Svi.Server.Tests.Layout;

/// <summary>The server serves; Inference computes. Tensors stay on Inference's side of the line.</summary>
public sealed class ServerProjectBoundaryTests
{
    static readonly string ServerProject = Path.Combine(RepositoryRoot.Find(), "src", "Svi.Server");

    [Fact]
    public void No_server_file_but_the_benchmark_uses_TorchSharp()
    {
        var users = TorchSharpUsers.Find(TorchSharpUsers.Sources(ServerProject), TorchSharpUsers.ServerExemptions);

        Assert.True(users.Count == 0, $"these Server files use TorchSharp; move the tensor work into Svi.Inference: {string.Join(", ", users)}");
    }

    [Fact]
    public void The_scan_finds_the_benchmark_once_its_exemption_is_gone()
    {
        var users = TorchSharpUsers.Find(TorchSharpUsers.Sources(ServerProject), []);

        Assert.Equal(["Cli/BenchCommand.cs"], users);
    }

    [Fact]
    public void A_using_directive_or_a_qualified_name_is_a_use_and_a_comment_is_not()
    {
        (string, string)[] sources =
        [
            ("A.cs", "using static TorchSharp.torch;\nclass A { }"),
            ("B.cs", "class B { TorchSharp.torch.Tensor? t; }"),
            ("C.cs", "// TorchSharp stays in Inference\n/* not TorchSharp either */\n/// <see cref=\"TorchSharp\"/>\nclass C { }"),
            ("D.cs", "class D { string TorchSharpish = \"\"; }"),
        ];

        Assert.Equal(["A.cs", "B.cs"], TorchSharpUsers.Find(sources, []));
        Assert.Equal(["B.cs"], TorchSharpUsers.Find(sources, ["A.cs"]));
    }
}
