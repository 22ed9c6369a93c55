using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Svi.Server.Tests.Support;

/// <summary>
/// <c>dotnet Svi.Server.Tests.dll worker|serve …</c>: the real server in a process of its own, with the test
/// renderer, that a test can kill with SIGKILL at any moment.
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
        var server = new ChildServer(Process.Start(info)!);
        server.process.OutputDataReceived += (_, e) => { lock (server.output) server.output.AppendLine(e.Data); };
        server.process.ErrorDataReceived += (_, e) => { lock (server.output) server.output.AppendLine(e.Data); };
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        return server;
    }

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
