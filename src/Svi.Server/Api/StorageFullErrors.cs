using Svi.Server.Contracts;
using Svi.Server.Storage;

namespace Svi.Server.Api;

/// <summary>The API's answers when the data volume is full (<see cref="StorageFull"/> recognises the failure).</summary>
public static class StorageFullErrors
{
    /// <summary>507 for a request whose write (a record, a file) failed on a full disk.</summary>
    public static ApiException WriteFailed() => new(StatusCodes.Status507InsufficientStorage,
        "The server's data volume is full, so this request could not be stored; nothing was created. Reading and deleting " +
        "videos still works: delete videos you no longer need, or ask the operator to free space.", null, StorageFull.Code, "server_error");

    /// <summary>507 for a create whose estimated bytes would leave less than the reserve free.</summary>
    public static ApiException Refused(long neededBytes, VolumeSpace space, long reserveBytes) => new(StatusCodes.Status507InsufficientStorage,
        $"Not enough storage for this video: it needs about {StorageFull.Megabytes(neededBytes)} on the data volume (its MP4, the parts " +
        $"it is joined from, its latent checkpoints and room for the database), and {StorageFull.Megabytes(space.FreeBytes)} are free, " +
        $"of which {StorageFull.Megabytes(reserveBytes)} must stay free (Svi:Storage:MinFreeBytes). Nothing was created. Ask for a " +
        "shorter or smaller video, or delete videos you no longer need.", null, StorageFull.Code, "server_error");
}
