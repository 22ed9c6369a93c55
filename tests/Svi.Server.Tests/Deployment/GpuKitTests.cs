namespace Svi.Server.Tests.Deployment;

/// <summary>
/// bench/gpu/run.sh, the GPU proof kit, in its CPU form (<c>--device cpu</c>, the tiny architecture): every step it takes
/// on a GPU runs here too, on random weights through the product's loaders, with the build these tests run and with the
/// build the device call carries (bench/gpu/publish.sh), which must fit in what a device call can carry.
/// </summary>
public sealed class GpuKitTests
{
    /// <summary>What one device call carries at most: the working tree (tracked and untracked-not-ignored files) and the
    /// carried paths together (/work/.library/device/README.md, "Limits").</summary>
    const long DeviceCallCarryLimitBytes = 64L * 1024 * 1024;

    [Fact]
    public async Task The_gpu_kit_runs_every_step_on_the_cpu_with_the_tiny_architecture()
    {
        var output = Directory.CreateTempSubdirectory("svi-gpu-kit-").FullName;
        try
        {
            await RunKitOnTheCpuAsync(output, new Dictionary<string, string> { ["SVI_BIN"] = $"dotnet {ChildServer.SviDll}" });
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task The_published_kit_fits_a_device_call_and_runs_every_step_on_the_cpu()
    {
        var root = RepositoryRoot.Find();
        var work = Directory.CreateTempSubdirectory("svi-gpu-kit-publish-").FullName;
        try
        {
            var publish = Path.Combine(work, "publish");
            var published = await RunAsync("bash", [Path.Combine(root, "bench", "gpu", "publish.sh"), publish], root, new Dictionary<string, string>(), TimeSpan.FromMinutes(15));
            Assert.True(published.ExitCode == 0, $"publish.sh exited {published.ExitCode}\n{published.Output}");

            long kitBytes = Directory.EnumerateFiles(publish, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            long treeBytes = await TravellingTreeBytesAsync(root, GoldenSetsLeftBehind);
            Assert.True(kitBytes + treeBytes <= DeviceCallCarryLimitBytes,
                $"the published kit ({kitBytes:N0} bytes) and the working tree ({treeBytes:N0} bytes) exceed the " +
                $"{DeviceCallCarryLimitBytes:N0} bytes a device call carries");

            // The published build carries no libtorch and no ONNX Runtime: it gets this build's CPU libtorch alone.
            var environment = new Dictionary<string, string>
            {
                ["SVI_BIN"] = Path.Combine(publish, "svi"),
                ["LD_LIBRARY_PATH"] = LibtorchWithoutOnnxRuntime(Path.Combine(work, "libtorch")),
                ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = Path.Combine(work, "extracted"),
            };
            await RunKitOnTheCpuAsync(Path.Combine(work, "out"), environment);

            // Interpolation, which needs the ONNX Runtime natives the kit leaves out, fails with a message that says so.
            var interpolated = await RunAsync(Path.Combine(publish, "svi"),
                ["generate", "--weights", "random", "--device", "cpu", "--prompt", "a lighthouse", "--duration", "5.0625", "--fps", "32",
                 "--seed", "1", "--output", Path.Combine(work, "out", "interpolated.mp4")],
                work, environment, TimeSpan.FromMinutes(5));
            Assert.True(interpolated.ExitCode == 1, $"generate --fps 32 exited {interpolated.ExitCode}\n{interpolated.Output}");
            Assert.Contains("error: Frame interpolation (fps 32) needs ONNX Runtime, whose native library did not load", interpolated.Output);
            Assert.DoesNotContain("Unhandled exception", interpolated.Output);

            // The trimmed build still serves: a 32 fps request is refused at submission, naming fps and why, /readyz
            // says so, and Hangfire hands a 16 fps job to the worker (its stored parameter types name mscorlib, which
            // trimming would drop).
            await using var db = await TestDatabase.CreateAsync();
            int port = ChildServer.FreePort();
            using var server = ChildServer.StartExecutable(Path.Combine(publish, "svi"),
                ["serve", "--weights", "random", "--urls", $"http://127.0.0.1:{port}", .. SviTestServer.ConfigArgs(db, Path.Combine(work, "data"))],
                environment);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await server.WaitReadyAsync(client);
            var refused = Http.AssertError(await Http.PostJsonAsync(client, "/v1/videos/generations",
                """{"prompt": "a lighthouse", "duration": 5, "fps": 32, "seed": 1}"""), System.Net.HttpStatusCode.BadRequest, "fps", "ONNX Runtime");
            Assert.Equal("interpolation_unavailable", refused.GetProperty("code").GetString());
            var ready = (await Http.GetAsync(client, "/readyz")).Body.GetProperty("fps32");
            Assert.False(ready.GetProperty("available").GetBoolean());
            Assert.Contains("ONNX Runtime", ready.GetProperty("problem").GetString());

            var created = await Http.PostJsonAsync(client, "/v1/videos/generations", """{"prompt": "a lighthouse", "duration": 5, "seed": 1}""");
            Assert.True(created.Status == System.Net.HttpStatusCode.Accepted,
                $"{(int)created.Status}: {created.Body}\n{server.Output}");
            var id = created.Body.GetProperty("id").GetString();
            var status = created.Body;
            for (var deadline = DateTime.UtcNow.AddMinutes(3); status.GetProperty("status").GetString() is "queued"; await Task.Delay(200))
            {
                Assert.True(DateTime.UtcNow < deadline, $"the worker did not take the job in 3 minutes: {status}\n{server.Output}");
                status = (await Http.GetAsync(client, $"/v1/videos/generations/{id}")).Body;
            }
            Assert.True(status.GetProperty("status").GetString() is "in_progress" or "completed", $"{status}\n{server.Output}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    static async Task RunKitOnTheCpuAsync(string output, IReadOnlyDictionary<string, string> environment)
    {
        var root = RepositoryRoot.Find();
        var kit = await RunAsync("bash", [Path.Combine(root, "bench", "gpu", "run.sh"), "--device", "cpu", "--out", output],
            root, environment, TimeSpan.FromMinutes(10));
        var log = File.Exists(Path.Combine(output, "gpu-kit.log")) ? await File.ReadAllTextAsync(Path.Combine(output, "gpu-kit.log")) : "";
        Assert.True(kit.ExitCode == 0, $"run.sh exited {kit.ExitCode}\n{kit.Output}\n{log}");

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

    // What a device call sends besides the carried paths: the tracked and the untracked-not-ignored files.
    /// <summary>The golden sets (59 MB, tracked) stay behind on a device call: bench/gpu/golden-aside.sh takes them out of
    /// git's index for it (the test below proves it), since with them the kit would not fit.</summary>
    const string GoldenSetsLeftBehind = "tests/golden/";

    [Fact]
    public async Task Golden_aside_leaves_the_golden_sets_behind_and_puts_them_back()
    {
        var clone = Directory.CreateTempSubdirectory("svi-golden-aside-").FullName;
        try
        {
            var cloned = await RunAsync("git", ["clone", "-q", RepositoryRoot.Find(), clone], clone, new Dictionary<string, string>(), TimeSpan.FromMinutes(5));
            Assert.True(cloned.ExitCode == 0, cloned.Output);
            var script = Path.Combine(clone, "bench", "gpu", "golden-aside.sh");
            long before = await TravellingTreeBytesAsync(clone);
            long withoutGolden = await TravellingTreeBytesAsync(clone, GoldenSetsLeftBehind);
            Assert.True(before - withoutGolden > 50_000_000, $"the golden sets should be most of the tree: {before:N0} vs {withoutGolden:N0}");

            var aside = await RunAsync("bash", [script, "out"], clone, new Dictionary<string, string>(), TimeSpan.FromMinutes(1));
            Assert.True(aside.ExitCode == 0, aside.Output);
            Assert.Equal(withoutGolden, await TravellingTreeBytesAsync(clone));
            Assert.True(File.Exists(Path.Combine(clone, "tests", "golden", "SHA256SUMS")), "the files themselves stay where they are");

            var back = await RunAsync("bash", [script, "back"], clone, new Dictionary<string, string>(), TimeSpan.FromMinutes(1));
            Assert.True(back.ExitCode == 0, back.Output);
            Assert.Equal(before, await TravellingTreeBytesAsync(clone));
            var status = await RunAsync("git", ["-C", clone, "status", "--porcelain"], clone, new Dictionary<string, string>(), TimeSpan.FromMinutes(1));
            Assert.Equal("", status.Stdout.Trim());
        }
        finally
        {
            Directory.Delete(clone, recursive: true);
        }
    }

    /// <summary>The bytes a device call sends from <paramref name="root"/>: tracked and untracked-not-ignored files,
    /// less those under <paramref name="leftBehind"/>.</summary>
    static async Task<long> TravellingTreeBytesAsync(string root, string? leftBehind = null)
    {
        var listed = await RunAsync("git", ["-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], root, new Dictionary<string, string>(),
            TimeSpan.FromMinutes(1));
        Assert.True(listed.ExitCode == 0, listed.Output);
        return listed.Stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(path => leftBehind is null || !path.StartsWith(leftBehind, StringComparison.Ordinal))
            .Select(path => new FileInfo(Path.Combine(root, path)))
            .Where(file => file.Exists)
            .Sum(file => file.Length);
    }

    // This build's libtorch (the CPU package's natives beside svi.dll) in a folder of its own: the folder also holds
    // ONNX Runtime, which the loader would otherwise find on LD_LIBRARY_PATH.
    static string LibtorchWithoutOnnxRuntime(string folder)
    {
        var natives = Path.Combine(Path.GetDirectoryName(ChildServer.SviDll)!, "runtimes", "linux-x64", "native");
        Directory.CreateDirectory(folder);
        foreach (var library in Directory.EnumerateFiles(natives))
        {
            var name = Path.GetFileName(library);
            if (name.StartsWith("libtorch") || name.StartsWith("libc10") || name.StartsWith("libgomp"))
                File.CreateSymbolicLink(Path.Combine(folder, name), library);
        }
        Assert.True(File.Exists(Path.Combine(folder, "libtorch.so")), $"no CPU libtorch in {natives}");
        return folder;
    }

    static async Task<(int ExitCode, string Stdout, string Output)> RunAsync(string program, IEnumerable<string> args, string directory,
        IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', info.ArgumentList)} ran over {timeout}:\n{await stderr}\n{await stdout}");
        }
        return (process.ExitCode, await stdout, $"{await stderr}\n{await stdout}");
    }
}
