using Npgsql;
using Svi.Server.Contracts;

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

    /// <summary>507 for a request whose write (a record, a file) failed on a full disk.</summary>
    public static ApiException WriteFailed() => new(StatusCodes.Status507InsufficientStorage,
        "The server's data volume is full, so this request could not be stored; nothing was created. Reading and deleting " +
        "videos still works: delete videos you no longer need, or ask the operator to free space.", null, Code, "server_error");

    /// <summary>507 for a create whose estimated bytes would leave less than the reserve free.</summary>
    public static ApiException Refused(long neededBytes, VolumeSpace space, long reserveBytes) => new(StatusCodes.Status507InsufficientStorage,
        $"Not enough storage for this video: it needs about {Megabytes(neededBytes)} on the data volume (its MP4, the parts " +
        $"it is joined from, its latent checkpoints and room for the database), and {Megabytes(space.FreeBytes)} are free, " +
        $"of which {Megabytes(reserveBytes)} must stay free (Svi:Storage:MinFreeBytes). Nothing was created. Ask for a " +
        "shorter or smaller video, or delete videos you no longer need.", null, Code, "server_error");

    /// <summary>The failed generation's message after its render hit a full disk.</summary>
    public static string RenderFailed(VolumeSpace space) =>
        $"The data volume ran out of space while this video was written ({Megabytes(space.FreeBytes)} free after its partial " +
        "files were removed). Nothing of it is kept; submit it again once space is freed.";

    public static string Megabytes(long bytes) => $"{bytes / 1e6:0.#} MB ({bytes} bytes)";
}
