namespace Svi.Inference.Tests.Pipeline;

public class ClipConditioningTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Continuation_y_is_mask_then_anchor_motion_latents_and_zeros(int m)
    {
        using var scope = NewDisposeScope();
        const int frames = 21, h = 3, w = 5;
        var anchor = randn(new long[] { 1, 16, 1, h, w });
        var previous = randn(new long[] { 1, 16, frames, h, w });
        var motion = ClipConditioning.MotionLatents(previous, m);

        var y = ClipConditioning.Build(anchor, motion, frames);

        Assert.Equal(new long[] { 1, 20, frames, h, w }, y.shape);
        // mask: 4 channels, 1 at latent 0 only (the motion slots are NOT marked known)
        Assert.True(y[.., ..4, 0].eq(1).all().item<bool>());
        Assert.True(y[.., ..4, 1..].eq(0).all().item<bool>());
        // condition: anchor at slot 0, the previous clip's last m raw latents at 1..m, zeros after
        TensorAssert.Equal(anchor, y[.., 4..20, ..1]);
        TensorAssert.Equal(previous[.., .., (frames - m)..frames], y[.., 4..20, 1..(1 + m)]);
        Assert.True(y[.., 4..20, (1 + m)..].eq(0).all().item<bool>());
    }

    [Fact]
    public void First_clip_y_has_anchor_then_twenty_zero_latents()
    {
        using var scope = NewDisposeScope();
        var anchor = randn(new long[] { 1, 16, 1, 2, 2 });
        var y = ClipConditioning.Build(anchor, null, 21);
        TensorAssert.Equal(anchor, y[.., 4..20, ..1]);
        Assert.True(y[.., 4..20, 1..].eq(0).all().item<bool>());
        Assert.Equal(4 * 2 * 2, y[.., ..4].sum().item<float>());
    }

    [Fact]
    public void Motion_latents_are_a_copy_that_outlives_the_clip_latent()
    {
        var latent = arange(21f).reshape(1, 1, 21, 1, 1);
        var motion = ClipConditioning.MotionLatents(latent, 2);
        latent.Dispose();
        Assert.Equal(new float[] { 19, 20 }, motion.data<float>().ToArray());
        motion.Dispose();
    }

    [Fact]
    public void Rgb24_conversion_truncates_like_the_reference()
    {
        using var scope = NewDisposeScope();
        // (x + 1)·127.5: −1 → 0, −0.999 → 0.1275 → 0, 0 → 127.5 → 127, 1 → 255, 2 clamps to 255
        var decoded = tensor(new float[] { -1f, -0.999f, 0f, 1f, 2f }).reshape(1, 1, 5, 1, 1).expand(1, 3, 5, 1, 1);
        var rgb = ClipFrames.ToRgb24(decoded);
        Assert.Equal(new long[] { 5, 1, 1, 3 }, rgb.shape);
        Assert.Equal(new byte[] { 0, 0, 127, 255, 255 }, rgb[.., 0, 0, 0].data<byte>().ToArray());
    }
}
