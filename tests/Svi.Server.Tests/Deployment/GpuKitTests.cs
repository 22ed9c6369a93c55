using System.Diagnostics;
using Svi.Server.Tests.Support;

namespace Svi.Server.Tests.Deployment;

/// <summary>
/// bench/gpu/run.sh, the GPU proof kit, in its CPU form (<c>--device cpu</c>, the tiny architecture) with the build
/// these tests run: every step it takes on a GPU runs here too, on random weights through the product's loaders.
/// </summary>
public sealed class GpuKitTests
{
    [Fact]
    public async Task The_gpu_kit_runs_every_step_on_the_cpu_with_the_tiny_architecture()
    {
        var root = RepositoryRoot.Find();
        var output = Directory.CreateTempSubdirectory("svi-gpu-kit-").FullName;
        try
        {
            var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
            foreach (var arg in new[] { Path.Combine(root, "bench", "gpu", "run.sh"), "--device", "cpu", "--out", output })
                info.ArgumentList.Add(arg);
            info.Environment["SVI_BIN"] = $"dotnet {ChildServer.SviDll}";
            using var kit = Process.Start(info)!;
            var stdout = kit.StandardOutput.ReadToEndAsync();
            var stderr = kit.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            await kit.WaitForExitAsync(timeout.Token);
            var log = File.Exists(Path.Combine(output, "gpu-kit.log")) ? await File.ReadAllTextAsync(Path.Combine(output, "gpu-kit.log")) : "";
            Assert.True(kit.ExitCode == 0, $"run.sh exited {kit.ExitCode}\n{await stderr}\n{await stdout}\n{log}");

            var summary = await File.ReadAllLinesAsync(Path.Combine(output, "summary.txt"));
            Assert.DoesNotContain(summary, line => line.Contains("FAILED"));
            foreach (var variant in new[] { "bf16", "fp8" })
                Assert.Contains(summary, line => line.StartsWith($"DiT forward tiny {variant} 832x480: "));
            Assert.Equal(2, summary.Count(line => line.Trim().StartsWith("best ") && line.Contains("TFLOP/s")));
            Assert.Contains(summary, line => line.StartsWith("DiT forward tiny 1280x720: not run"));
            Assert.Contains(summary, line => line.StartsWith("VAE decode tiny 832x480"));
            Assert.Contains(summary, line => line.Trim().StartsWith("best ") && line.Contains("per clip decode"));
            Assert.Contains(summary, line => line.StartsWith("PyTorch reference: skipped"));
            // The experts came from the random checkpoints of both variants through the loader.
            Assert.Contains("weights: RANDOM random-bf16", log);
            Assert.Contains("weights: RANDOM random-fp8", log);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
