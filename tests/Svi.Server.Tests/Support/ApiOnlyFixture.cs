namespace Svi.Server.Tests.Support;

/// <summary>A server with the API and no worker: what is accepted, refused and stored, with nothing rendered.</summary>
public class ApiOnlyFixture : ServerFixture
{
    protected override bool WithWorker => false;
}
