namespace Svi.Inference.Wan.Vae;

static class VideoTensorExtensions
{
    /// <summary>The last (at most) <paramref name="count"/> frames of [B, C, T, H, W], as a view.</summary>
    public static Tensor LastFrames(this Tensor video, long count)
    {
        long frames = video.shape[2];
        long take = Math.Min(count, frames);
        return video.narrow(2, frames - take, take);
    }

    /// <summary>[B, C, T, H, W] → [B·T, C, H, W], frames as a batch of images.</summary>
    public static Tensor FramesAsImages(this Tensor video)
    {
        long b = video.shape[0], c = video.shape[1], t = video.shape[2];
        return video.permute(0, 2, 1, 3, 4).reshape(b * t, c, video.shape[3], video.shape[4]);
    }

    /// <summary>[B·T, C, H, W] → [B, C, T, H, W].</summary>
    public static Tensor ImagesAsFrames(this Tensor images, long frames)
    {
        long bt = images.shape[0];
        return images.reshape(bt / frames, frames, images.shape[1], images.shape[2], images.shape[3]).permute(0, 2, 1, 3, 4);
    }
}
