using Microsoft.Extensions.Options;

namespace Svi.Server.Hosting;

/// <summary>Runs a built host until Ctrl+C, turning configuration errors into a message and exit code 2.</summary>
public static class HostRunner
{
    public static async Task<int> RunAsync(Func<IHost> build, CancellationToken ct)
    {
        IHost host;
        try
        {
            host = build();
            await SviHost.StartAsync(host, ct);
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures) Console.Error.WriteLine($"svi: configuration error: {failure}");
            return 2;
        }
        catch (Npgsql.NpgsqlException e)
        {
            Console.Error.WriteLine($"svi: cannot use the database in ConnectionStrings:Svi: {e.Message}");
            return 2;
        }
        await host.WaitForShutdownAsync(ct);
        if (host is IAsyncDisposable d) await d.DisposeAsync(); else host.Dispose();
        return 0;
    }
}
