using System.CommandLine;
using Svi.Server.Hosting;

namespace Svi.Server.Cli;

public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls")
        {
            Description = $"Listen addresses (default {SviOptions.DefaultUrls}, or Svi:Urls / ASPNETCORE_URLS).",
        };
        var noWorker = new Option<bool>("--no-worker")
        {
            Description = "Serve the API only; generations run on './svi worker' processes sharing the database.",
        };
        var command = new Command("serve",
            "Start the HTTP API and a GPU worker in one process. Configuration: ConnectionStrings:Svi, Svi:DataDirectory, " +
            "Svi:ModelsDirectory, Svi:ApiKeys (appsettings.json, environment variables like Svi__ApiKeys__0, or --Svi:Key=value).")
        {
            urls, noWorker,
        };
        var weights = new WeightsOptions();
        weights.AddTo(command);
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            var args = parse.UnmatchedTokens.Concat(weights.ConfigurationArgs(parse)).ToList();
            if (parse.GetValue(urls) is { } u) args.AddRange(["--urls", u]);
            return await HostRunner.RunAsync(() => SviHost.BuildApi([.. args], withWorker: !parse.GetValue(noWorker)), ct);
        });
        return command;
    }
}
