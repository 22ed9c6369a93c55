using Npgsql;

namespace Svi.Server.Tests.Storage;

/// <summary>
/// Which failures mean a full disk. PostgreSQL gives SQLSTATE 53100 for ENOSPC and EDQUOT on any file it writes
/// (errcode_for_file_access); the other class-53 codes are a busy server, not a full disk.
/// </summary>
public sealed class StorageFullTests
{
    [Theory]
    [InlineData(PostgresErrorCodes.DiskFull, "could not extend file \"base/16384/16761\": No space left on device", true)]
    // 58030: io_error
    [InlineData("58030", "could not write to file \"pg_wal/xlogtemp.42\": No space left on device", true)]
    [InlineData(PostgresErrorCodes.TooManyConnections, "sorry, too many clients already", false)]
    [InlineData(PostgresErrorCodes.OutOfMemory, "out of memory", false)]
    public void A_postgres_error_means_a_full_disk_only_for_disk_full_or_enospc(string sqlState, string message, bool full)
    {
        var e = new PostgresException(message, "ERROR", "ERROR", sqlState);
        Assert.Equal(full, StorageFull.Caused(e));
        // Hangfire and System.Transactions wrap it.
        Assert.Equal(full, StorageFull.Caused(new InvalidOperationException("wrapped", e)));
    }

    [Fact]
    public void Ffmpeg_running_out_of_space_and_our_own_enospc_write_mean_a_full_disk()
    {
        Assert.True(StorageFull.Caused(new Exception("ffmpeg exited with non-zero exit-code (1 - av_interleaved_write_frame(): No space left on device)")));
        Assert.True(StorageFull.Caused(new AggregateException(new IOException("No space left on device : '/data/x'", 28))));
        Assert.False(StorageFull.Caused(new IOException("Permission denied", 13)));
        Assert.False(StorageFull.Caused(new TimeoutException("could not get a database connection in time")));
    }
}
