using System.Net.Sockets;

namespace Svi.Server.Tests.Support;

/// <summary>
/// <c>dotnet Svi.Server.Tests.dll worker|serve …</c>: the real server in a process of its own, with the test
/// renderer, that a test can kill with SIGKILL at any moment; or <c>dotnet svi.dll …</c>, the built command line
/// itself (what <c>./svi serve</c> runs), with the production renderer.
/// </summary>
public sealed class ChildServer : IDisposable
{
    private readonly Process process;
    private readonly System.Text.StringBuilder output = new();
    public string Output { get { lock (output) return output.ToString(); } }

    private ChildServer(Process process) => this.process = process;

    public static ChildServer Start(string mode, TestDatabase db, string data, int stepMs, IEnumerable<string> extra)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(typeof(TestWorkerEntryPoint).Assembly.Location);
        info.ArgumentList.Add(mode);
        info.ArgumentList.Add($"{TestWorkerEntryPoint.StepMsArg}{stepMs}");
        foreach (var arg in SviTestServer.ConfigArgs(db, data, extra)) info.ArgumentList.Add(arg);
        return Launch(info);
    }

    /// <summary>
    /// <c>dotnet src/Svi.Server/bin/CONFIGURATION/net10.0/svi.dll ARGS</c>, built by the same build as these tests (the
    /// solution builds the server project beside the test project).
    /// </summary>
    public static ChildServer StartSvi(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(SviDll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        return Launch(info);
    }

    /// <summary><c>EXECUTABLE ARGS</c>: a published build of the server (bench/gpu/publish.sh), run as it is.</summary>
    public static ChildServer StartExecutable(string executable, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        return Launch(info);
    }

    static ChildServer Launch(ProcessStartInfo info)
    {
        var server = new ChildServer(Process.Start(info)!);
        server.process.OutputDataReceived += (_, e) => { lock (server.output) server.output.AppendLine(e.Data); };
        server.process.ErrorDataReceived += (_, e) => { lock (server.output) server.output.AppendLine(e.Data); };
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        return server;
    }

    /// <summary>The server's entry point from the build that made this test assembly (bin/CONFIGURATION/TFM).</summary>
    public static string SviDll
    {
        get
        {
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var path = Path.Combine(RepositoryRoot.Find(), "src", "Svi.Server", "bin", tfm.Parent!.Name, tfm.Name, "svi.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"build the server first (dotnet build Svi.sln): {path}");
        }
    }

    public bool HasExited => process.HasExited;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls <c>/healthz</c> until the server answers.</summary>
    public async Task WaitReadyAsync(HttpClient client, double timeoutSeconds = 60)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds); ; await Task.Delay(50))
        {
            if (process.HasExited) throw new InvalidOperationException($"the server exited with {process.ExitCode}:\n{Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the server did not answer in {timeoutSeconds} s:\n{Output}");
            try
            {
                using var response = await client.GetAsync("/healthz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash.</summary>
    public void Kill()
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }
}
