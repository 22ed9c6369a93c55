namespace Svi.Server.Tests.Support;

/// <summary><c>dotnet svi.dll ARGS</c> (the built command line) run to its end, in a process of its own.</summary>
public static class SviCli
{
    public static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(ChildServer.SviDll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
