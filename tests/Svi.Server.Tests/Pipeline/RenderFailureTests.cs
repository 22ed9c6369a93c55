using System.Runtime.InteropServices;

namespace Svi.Server.Tests.Pipeline;

/// <summary>Failures of the GPU's memory, as libtorch and the memory planner raise them while the models load.</summary>
public sealed class RenderFailureTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("svi-failure-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<Exception, string, string> DeviceMemoryFailures => new()
    {
        { new ExternalException("CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 23.65 GiB total capacity)\nException raised from malloc"),
            "gpu_out_of_memory", "Svi:Inference:MemoryPlan=expert-swap or block-swap" },
        { new MemoryPlanUnfitException("No memory plan fits: 10.0 GiB free on the device. Install the fp8 variant (./svi models pull --variant fp8)."),
            "insufficient_gpu_memory", "10.0 GiB free" },
    };

    [Theory]
    [MemberData(nameof(DeviceMemoryFailures))]
    public async Task Running_out_of_gpu_memory_fails_with_its_own_code_and_what_to_change(Exception raised, string code, string advice)
    {
        var error = await Assert.ThrowsAsync<RenderFailedException>(() => RenderWith(raised));
        Assert.Equal(code, error.Code);
        Assert.Contains(advice, error.Message);
        Assert.DoesNotContain("malloc", error.Message);
    }

    [Fact]
    public async Task Other_failures_are_not_mistaken_for_memory()
    {
        var raised = new InvalidOperationException("the checkpoint is corrupt");
        Assert.Same(raised, await Assert.ThrowsAsync<InvalidOperationException>(() => RenderWith(raised)));
    }

    Task<RenderResult> RenderWith(Exception raised)
    {
        var renderer = new SviVideoRenderer(new FixedModelInventory(TinySviModels.Write(Path.Combine(directory, "models"))),
            new FailingLoader(raised), new FfmpegVideoMedia(), new SviDefaults());
        var spec = TestSpecs.Tiny(image: false, t2v: T2vQuality.Fast) with { Prompts = ["a boat"], NegativePrompt = "", Cfg = 1, Seed = 1, Steps = 1 };
        return renderer.RenderAsync(new RenderJob("failing", spec, Path.Combine(directory, "job")), new Progress<RenderProgress>(),
            CancellationToken.None);
    }

    sealed class FailingLoader(Exception raised) : ISviModelLoader
    {
        public SviModelSet Load(ModelFiles files, SviModelChoice choice) => throw raised;
    }
}
