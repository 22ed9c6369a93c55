namespace Svi.Server.Tests.Support;

/// <summary>
/// Test classes that start the server run one after another: Hangfire keeps its configuration in process-wide
/// statics, so two servers in one process must not start at the same time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServerCollection
{
    public const string Name = "Server";
}
