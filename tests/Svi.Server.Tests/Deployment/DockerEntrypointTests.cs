using System.Net.Sockets;

namespace Svi.Server.Tests.Deployment;

/// <summary>
/// The image's entry point (docker/entrypoint.sh) run on the host the way the image runs it: the same script, as the
/// image's non-root user <c>svi</c> (uid 10001) when the tests run as root, with the server's own build in place of
/// /app/svi.dll. No Docker engine is needed, so the logic that makes <c>docker run</c> alone serve is tested in CI.
/// </summary>
public sealed class DockerEntrypointTests : IDisposable
{
    const string ImageUser = "svi";
    const int ImageUid = 10001;
    static readonly string Root = RepositoryRoot.Find();
    readonly string scratch = Directory.CreateTempSubdirectory("svi-entrypoint-").FullName;

    [Fact]
    public async Task Serve_without_a_connection_string_starts_a_private_postgres_under_data_and_stops_it_on_sigterm()
    {
        string data = Path.Combine(scratch, "data"), models = Path.Combine(scratch, "models");
        Directory.CreateDirectory(data);
        Directory.CreateDirectory(models);
        bool asImageUser = Environment.UserName == "root";
        if (asImageUser)
        {
            EnsureImageUser();
            // The image's volumes belong to its user; so do these.
            Run("chown", "-R", $"{ImageUser}:{ImageUser}", scratch);
            Run("chmod", "755", scratch);
        }
        int httpPort = FreePort(), pgPort = FreePort();
        var environment = new Dictionary<string, string>
        {
            ["SVI_APP"] = ServerAssembly(),
            ["SVI_SCRIPTS"] = Path.Combine(Root, "scripts"),
            ["SVI_PG_PORT"] = pgPort.ToString(),
            ["Svi__DataDirectory"] = data,
            ["Svi__ModelsDirectory"] = models,
            ["Svi__Urls"] = $"http://127.0.0.1:{httpPort}",
            ["Svi__Inference__Device"] = "cpu",
            ["HOME"] = data,
            ["DOTNET_CLI_HOME"] = data,
            ["DOTNET_NOLOGO"] = "1",
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
        };
        var info = new ProcessStartInfo(asImageUser ? "runuser" : "env") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asImageUser) foreach (var a in new[] { "-u", ImageUser, "--", "env" }) info.ArgumentList.Add(a);
        info.ArgumentList.Add("-i");
        foreach (var (k, v) in environment) info.ArgumentList.Add($"{k}={v}");
        info.ArgumentList.Add(Path.Combine(Root, "docker", "entrypoint.sh"));
        info.ArgumentList.Add("serve");

        var output = new StringBuilder();
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string Log() { lock (output) return output.ToString(); }
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(5) };
            var ready = await WaitUntilAsync(async () =>
            {
                if (process.HasExited) Assert.Fail($"the entry point exited ({process.ExitCode}):\n{Log()}");
                try { return (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK; }
                catch (HttpRequestException) { return false; }
                catch (TaskCanceledException) { return false; }
            }, TimeSpan.FromSeconds(180));
            Assert.True(ready, $"/readyz never answered 200:\n{Log()}");

            string cluster = Path.Combine(data, "postgres", "data");
            Assert.True(File.Exists(Path.Combine(cluster, "PG_VERSION")), Log());
            Assert.True(File.Exists(Path.Combine(cluster, "postmaster.pid")), "PostgreSQL is not running in the data volume");
            Assert.Contains($"starting a private PostgreSQL in {data}/postgres (127.0.0.1:{pgPort})", Log());
            // PostgreSQL runs as the image's user, not root (it refuses root) and not a postgres account.
            if (asImageUser) Assert.Equal(ImageUid, OwnerUid(cluster));

            // docker stop signals the entry point (PID 1 in the container); runuser here would kill its child itself.
            string entrypoint = asImageUser ? Run("pgrep", "-P", process.Id.ToString()).Output.Trim() : process.Id.ToString();
            Assert.True(int.TryParse(entrypoint, out _), $"no entry point process under runuser: '{entrypoint}'");
            Run("kill", "-TERM", entrypoint);
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(90)), $"the entry point did not stop on SIGTERM:\n{Log()}");
            process.WaitForExit();
            // The server's own status passes through: 143 (128 + SIGTERM) is how .NET reports a clean signalled stop.
            Assert.True(process.ExitCode is 0 or 143, $"exit {process.ExitCode}:\n{Log()}");
            Assert.False(File.Exists(Path.Combine(cluster, "postmaster.pid")), $"PostgreSQL was left running:\n{Log()}");
            Assert.Contains("the private PostgreSQL was shut down", Log());
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            StopCluster(Path.Combine(data, "postgres"));
        }
    }

    [Fact]
    public void Other_commands_go_straight_to_the_server_without_a_database()
    {
        var run = RunScript("models", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("list", run.Output);
        Assert.DoesNotContain("private PostgreSQL", run.Output);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("worker")]
    public void Serve_and_worker_refuse_an_unwritable_data_directory_with_one_line_naming_the_uid(string command)
    {
        string data = Path.Combine(scratch, "data");
        Directory.CreateDirectory(data);
        bool asImageUser = Environment.UserName == "root";
        // Root may write anywhere: as root the script runs as the image's user on a folder it does not own.
        if (asImageUser) EnsureImageUser();
        else Run("chmod", "555", data);
        Run("chmod", "755", scratch);
        var prefix = asImageUser ? new[] { "runuser", "-u", ImageUser, "--" } : [];
        var run = Run([.. prefix, "env", $"Svi__DataDirectory={data}", $"SVI_APP={ServerAssembly()}", $"SVI_SCRIPTS={Path.Combine(Root, "scripts")}",
            "bash", Path.Combine(Root, "docker", "entrypoint.sh"), command, "--weights", "random"]);
        Assert.Equal(2, run.ExitCode);
        string uid = asImageUser ? ImageUid.ToString() : Run("id", "-u").Output.Trim();
        Assert.Equal([$"svi: {data} is not writable by uid {uid} (the user this container runs as); give uid {uid} write access to the " +
                      $"volume mounted there (a host folder: chown -R {uid}:{(asImageUser ? ImageUid.ToString() : Run("id", "-g").Output.Trim())} FOLDER), or mount it read-write"],
            run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(Path.Combine(data, "postgres", "data", "PG_VERSION")));
    }

    (int ExitCode, string Output) RunScript(params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(Root, "docker", "entrypoint.sh"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["SVI_APP"] = ServerAssembly();
        info.Environment["SVI_SCRIPTS"] = Path.Combine(Root, "scripts");
        info.Environment.Remove("ConnectionStrings__Svi");
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(60)));
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>svi.dll as the server project built it, in this test run's configuration.</summary>
    static string ServerAssembly()
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        string path = Path.Combine(Root, "src", "Svi.Server", "bin", configuration, "net10.0", "svi.dll");
        Assert.True(File.Exists(path), $"{path} is missing: build src/Svi.Server first");
        return path;
    }

    static void EnsureImageUser()
    {
        if (Run("id", "-u", ImageUser).ExitCode == 0) return;
        // As Dockerfile.cuda creates it.
        var made = Run("useradd", "--uid", ImageUid.ToString(), "--user-group", "--no-create-home", "--home-dir", "/data",
            "--shell", "/usr/sbin/nologin", ImageUser);
        Assert.True(made.ExitCode == 0, made.Output);
    }

    static int OwnerUid(string path) => int.Parse(Run("stat", "-c", "%u", path).Output.Trim());

    static void StopCluster(string directory)
    {
        if (!File.Exists(Path.Combine(directory, "data", "postmaster.pid"))) return;
        string bin = Directory.GetDirectories("/usr/lib/postgresql").Order().Last();
        var stop = new List<string> { Path.Combine(bin, "bin", "pg_ctl"), "-D", Path.Combine(directory, "data"), "-m", "immediate", "stop" };
        if (Environment.UserName == "root") stop.InsertRange(0, ["runuser", "-u", OwnerName(directory), "--"]);
        Run([.. stop]);
    }

    static string OwnerName(string path) => Run("stat", "-c", "%U", path).Output.Trim();

    static (int ExitCode, string Output) Run(params string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in command.Skip(1)) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (await condition()) return true;
            await Task.Delay(250);
        }
        return false;
    }

    public void Dispose()
    {
        try { Directory.Delete(scratch, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
