namespace Svi.Server.Tests.Jobs;

/// <summary>The lock a worker holds on the generation it renders: taken once, released with the job, visible in SQL.</summary>
public sealed class GenerationLockTests : FreshDatabaseTests
{
    private readonly string id = GenerationIds.New();

    private Task<bool> HeldAsync() =>
        Database.ScalarAsync<bool>($"SELECT {GenerationLock.HeldSql(GenerationLock.KeySql($"'{id}'"))}");

    [Fact]
    public async Task A_second_taker_is_refused_while_the_first_holds_it_and_the_sql_sees_the_holder()
    {
        Assert.False(await HeldAsync());
        await using (var first = await GenerationLock.TryTakeAsync(DataSource, id, CancellationToken.None))
        {
            Assert.NotNull(first);
            Assert.True(await HeldAsync());
            Assert.Null(await GenerationLock.TryTakeAsync(DataSource, id, CancellationToken.None));
        }
        Assert.False(await HeldAsync());
    }

    [Fact]
    public async Task Releasing_frees_the_lock_even_though_the_pooled_connection_stays_open()
    {
        var taken = await GenerationLock.TryTakeAsync(DataSource, id, CancellationToken.None);
        Assert.NotNull(taken);
        await taken.DisposeAsync();
        // The pool keeps the physical connection (and, unreleased, its session's locks) until it is used again.
        Assert.True(await Database.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()") >= 1);
        Assert.False(await HeldAsync());
    }

    [Fact]
    public async Task Keys_with_the_sign_bit_set_are_seen_by_the_sql_too()
    {
        var negative = "video_f" + id[("video_".Length + 1)..];
        await using var held = await GenerationLock.TryTakeAsync(DataSource, negative, CancellationToken.None);
        Assert.NotNull(held);
        Assert.True(await Database.ScalarAsync<bool>($"SELECT {GenerationLock.HeldSql(GenerationLock.KeySql($"'{negative}'"))}"));
    }
}
