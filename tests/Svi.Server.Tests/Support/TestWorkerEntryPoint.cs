namespace Svi.Server.Tests.Support;

/// <summary>
/// Lets the test assembly run as a separate process with the test renderer, so a test can kill it mid-job:
/// <c>dotnet Svi.Server.Tests.dll worker …</c> (a worker alone) or <c>… serve …</c> (API and worker, as
/// <c>svi serve</c>). The test host never calls this.
/// </summary>
public static class TestWorkerEntryPoint
{
    public const string StepMsArg = "--test-step-ms=";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("worker" or "serve"))
        {
            Console.Error.WriteLine("usage: Svi.Server.Tests.dll worker|serve --test-step-ms=N [--Key=value ...]");
            return 2;
        }
        int stepMs = args.Where(a => a.StartsWith(StepMsArg)).Select(a => int.Parse(a[StepMsArg.Length..])).DefaultIfEmpty(50).First();
        var hostArgs = args.Skip(1).Where(a => !a.StartsWith(StepMsArg)).ToArray();
        void TestServices(IServiceCollection services)
        {
            services.AddSingleton<IVideoRenderer>(new FfmpegTestRenderer(TimeSpan.FromMilliseconds(stepMs)));
            services.AddSingleton<IModelInventory>(new FixedModelInventory());
        }
        return await HostRunner.RunAsync(() => args[0] == "serve"
            ? SviHost.BuildApi(hostArgs, withWorker: true, TestServices)
            : SviHost.BuildWorker(hostArgs, TestServices), CancellationToken.None);
    }
}
