using TorchSharp;

namespace Svi.Inference.Tests.Wan;

public class DitModelTests
{
    static double RelativeError(Tensor ours, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var a = ours.to(ScalarType.Float64);
        var b = reference.to(ScalarType.Float64);
        return (a - b).norm().item<double>() / b.norm().item<double>();
    }

    static (WanTransformer Model, Tensor X, Tensor T, Tensor Context, Tensor Out) Golden(string name, ScalarType computeType = ScalarType.Float32)
    {
        using var set = new ConformanceSet(GoldenSets.Path(name));
        var config = WanConfig.FromJson(set.Config);
        using var weights = SafetensorsFile.Open(set.FilePath("weights.safetensors"));
        var model = WanTransformer.Load(config, weights, computeType);
        var x = set.Tensor("x");
        if (set.Has("y")) x = cat([x, set.Tensor("y")], 0);
        return (model, x.unsqueeze(0), set.Tensor("t"), set.Tensor("context").unsqueeze(0), set.Tensor("out").unsqueeze(0));
    }

    [Fact]
    public void Module_parameter_names_are_the_checkpoint_keys()
    {
        using var set = new ConformanceSet(GoldenSets.Path("dit_i2v"));
        using var weights = SafetensorsFile.Open(set.FilePath("weights.safetensors"));
        using var model = new WanTransformer(WanConfig.FromJson(set.Config));

        var ours = model.state_dict().Keys.Order().ToArray();
        Assert.Equal(weights.Keys.Order().ToArray(), ours);
    }

    [Fact]
    public void Bf16_compute_stays_close_to_the_fp32_reference()
    {
        // bf16 keeps 8 mantissa bits: a 2-block model lands near 1e-2; fp32 parts (time, norms, head) keep it there.
        var (model, x, t, context, reference) = Golden("dit_i2v", ScalarType.BFloat16);
        using (model)
        {
            Assert.Equal(ScalarType.BFloat16, model.ComputeType);
            using var output = model.Forward(x, t, context);
            Assert.Equal(ScalarType.Float32, output.dtype);
            Assert.True(RelativeError(output, reference) < 3e-2, $"rel {RelativeError(output, reference):E2}");
        }
    }

    [Fact]
    public void Batch_of_two_equals_two_single_runs()
    {
        var (model, x, t, context, _) = Golden("dit_t2v");
        using (model)
        {
            using var scope = NewDisposeScope();
            var x2 = cat([x, x.flip(3)], 0);
            var context2 = cat([context, context * 0.5], 0);
            var t2 = cat([t, t * 0.25], 0);
            var both = model.Forward(x2, t2, context2);
            var first = model.Forward(x, t, context);
            var second = model.Forward(x.flip(3), t * 0.25, context * 0.5);
            // fp32, 1e-5: the same arithmetic up to BLAS blocking
            Assert.True(RelativeError(both[0], first[0]) < 1e-5);
            Assert.True(RelativeError(both[1], second[0]) < 1e-5);
            Assert.True(RelativeError(both[1], both[0]) > 1e-2, "the two samples must differ for the check to mean anything");
        }
    }

    [Fact]
    public void Per_token_timesteps_that_are_all_equal_match_one_timestep()
    {
        var (model, x, _, context, _) = Golden("dit_ti2v");
        using (model)
        {
            using var scope = NewDisposeScope();
            long tokens = x.shape[2] * (x.shape[3] / 2) * (x.shape[4] / 2);
            var shared = model.Forward(x, tensor(new[] { 640f }), context);
            var perToken = model.Forward(x, full(1, tokens, 640f), context);
            Assert.True(RelativeError(perToken, shared) < 1e-6);
        }
    }

    [Fact]
    public void Context_longer_than_text_len_is_rejected()
    {
        var (model, x, t, _, _) = Golden("dit_t2v");
        using (model)
        {
            using var tooLong = zeros(1, model.Config.TextLen + 1, model.Config.TextDim);
            var error = Assert.Throws<ArgumentException>(() => model.Forward(x, t, tooLong));
            Assert.Contains("text_len", error.Message);
        }
    }

    [Fact]
    public void Repeated_forward_passes_leave_no_live_tensors_behind()
    {
        var (model, x, t, context, _) = Golden("dit_i2v");
        using (model)
        {
            model.Forward(x, t, context).Dispose(); // first pass builds the RoPE grid cache
            long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            for (int i = 0; i < 5; i++) model.Forward(x, t, context).Dispose();
            Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
    }

    [Fact]
    public void Ti2v_timesteps_zero_the_first_latent_frame_like_the_reference()
    {
        var (model, x, t, _, _) = Golden("dit_ti2v");
        using (model)
        {
            float timestep = t.max().item<float>();
            using var ours = model.Ti2vTimesteps(timestep, x.shape[2], x.shape[3], x.shape[4]);
            Assert.Equal(t.shape, ours.shape);
            Assert.Equal(t.data<float>().ToArray(), ours.data<float>().ToArray());
            Assert.Equal(0f, t.min().item<float>()); // the golden set really has a conditioned first frame
        }
    }

    [Fact]
    public void Block_hooks_run_around_every_block_in_order()
    {
        var (model, x, t, context, _) = Golden("dit_t2v");
        using (model)
        {
            var events = new List<string>();
            model.BeforeBlock = (i, block) => { Assert.Same(model.Blocks[i], block); events.Add($"in{i}"); };
            model.AfterBlock = (i, _) => events.Add($"out{i}");
            model.Forward(x, t, context).Dispose();

            var expected = Enumerable.Range(0, model.Config.NumLayers).SelectMany(i => new[] { $"in{i}", $"out{i}" });
            Assert.Equal(expected, events);
        }
    }

    [Fact]
    public void A_block_that_fails_still_gets_its_after_hook()
    {
        var (model, x, t, context, _) = Golden("dit_t2v");
        using (model)
        {
            var after = new List<int>();
            // a freed weight makes the block's forward throw, as a failed device allocation would
            model.BeforeBlock = (i, block) => { if (i == 1) block.parameters().First().Dispose(); };
            model.AfterBlock = (i, _) => after.Add(i);
            Assert.ThrowsAny<Exception>(() => model.Forward(x, t, context).Dispose());
            Assert.Equal([0, 1], after);
        }
    }
}
