using System.Collections;
using System.Runtime.ExceptionServices;
using FFMpegCore.Pipes;

namespace Svi.Server.Media;

/// <summary>
/// Frames handed to ffmpeg's input pipe as they are made, counted. A failure while making one ends the input there
/// (ffmpeg then finishes a shorter file cleanly) and is kept in <see cref="Failure"/>, so the encoder's caller throws
/// the cause itself instead of FFMpegCore's wrapper, and never takes the shorter file for the whole video.
/// </summary>
sealed class PulledFrames(IEnumerable<IVideoFrame> frames) : IEnumerable<IVideoFrame>
{
    public int Count { get; private set; }

    public ExceptionDispatchInfo? Failure { get; private set; }

    public IEnumerator<IVideoFrame> GetEnumerator()
    {
        using var source = frames.GetEnumerator();
        while (Next(source))
        {
            Count++;
            yield return source.Current;
        }
    }

    bool Next(IEnumerator<IVideoFrame> source)
    {
        try
        {
            return source.MoveNext();
        }
        catch (Exception e)
        {
            Failure = ExceptionDispatchInfo.Capture(e);
            return false;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
