using Npgsql;

namespace Svi.Server.Storage;

/// <summary>
/// Recognises a write that failed because a disk is full, wherever it surfaced: our own file writes (ENOSPC, EDQUOT),
/// ffmpeg (its message, through FFMpegCore), or PostgreSQL (SQLSTATE 53100 <c>disk_full</c>, which PostgreSQL gives
/// for ENOSPC and EDQUOT on any file it writes). Npgsql marks 53100 transient, but retrying does not help until
/// space is freed, so it must not read as <c>database_busy</c>.
/// </summary>
public static class StorageFull
{
    public const string Code = "storage_full";
    const int Enospc = 28, Edquot = 122;
    static readonly string[] Messages = ["No space left on device", "Disk quota exceeded", "could not extend file"];

    public static bool Caused(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (IsOne(e)) return true;
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(Caused)) return true;
        }
        return false;
    }

    static bool IsOne(Exception e) => e switch
    {
        PostgresException p => p.SqlState == PostgresErrorCodes.DiskFull || Mentions(p.MessageText) || Mentions(p.Detail),
        IOException io => io.HResult is Enospc or Edquot || Mentions(io.Message),
        _ => Mentions(e.Message),
    };

    static bool Mentions(string? text) => text is not null && Messages.Any(m => text.Contains(m, StringComparison.OrdinalIgnoreCase));

    /// <summary>The failed generation's message after its render hit a full disk.</summary>
    public static string RenderFailed(VolumeSpace space) =>
        $"The data volume ran out of space while this video was written ({Megabytes(space.FreeBytes)} free after its partial " +
        "files were removed). Nothing of it is kept; submit it again once space is freed.";

    public static string Megabytes(long bytes) => $"{bytes / 1e6:0.#} MB ({bytes} bytes)";
}
