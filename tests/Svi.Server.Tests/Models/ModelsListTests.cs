using Svi.Server.Cli;

namespace Svi.Server.Tests.Models;

/// <summary><c>./svi models list</c> on a ComfyUI-style models folder: which file serves each role, and its licence.</summary>
// Redirects the process-wide Console, like the other command tests of this collection.
[Collection(nameof(Pipeline.GenerateCommandTests))]
public sealed class ModelsListTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("svi-list-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public async Task List_names_the_alternative_found_for_a_role_and_every_files_licence()
    {
        var manifest = ModelManifest.Default();
        var dit = manifest.FilesOf("fp8").Single(f => f.Role == Svi.Inference.Runtime.ModelRole.DitHigh);
        var kj = dit.Copies().Last();
        Directory.CreateDirectory(Path.Combine(dir, "diffusion_models"));
        File.WriteAllBytes(Path.Combine(dir, kj.Path), [1, 2, 3]);

        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        int exit;
        try { exit = await SviCommandLine.Create().Parse(["models", "list", "--models-dir", dir, "--variant", "fp8"]).InvokeAsync(); }
        finally { Console.SetOut(previous); }

        Assert.Equal(0, exit);
        var lines = output.ToString().Split('\n');
        var found = Assert.Single(lines, l => l.Contains(kj.Path, StringComparison.Ordinal) && l.Contains("installed", StringComparison.Ordinal));
        Assert.Contains($"(alternative to {dit.Path})", found);
        var rife = Assert.Single(lines, l => l.Contains("rife49_ensemble_True_scale_1_sim.onnx", StringComparison.Ordinal));
        Assert.Contains("unclear", rife);
        Assert.Contains(lines, l => l.Contains("umt5_xxl_fp8_e4m3fn_scaled", StringComparison.Ordinal) && l.Contains("apache-2.0", StringComparison.Ordinal));
    }
}
