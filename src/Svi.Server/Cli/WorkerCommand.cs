using System.CommandLine;
using Svi.Server.Hosting;

namespace Svi.Server.Cli;

public static class WorkerCommand
{
    public static Command Create()
    {
        var command = new Command("worker",
            "Run only a GPU worker: it takes generations from the 'gpu' queue in the shared PostgreSQL (ConnectionStrings:Svi), " +
            "one at a time, and writes their files under Svi:DataDirectory (which the API must share).");
        var weights = new WeightsOptions();
        weights.AddTo(command);
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
            await HostRunner.RunAsync(() => SviHost.BuildWorker([.. parse.UnmatchedTokens, .. weights.ConfigurationArgs(parse)]), ct));
        return command;
    }
}
