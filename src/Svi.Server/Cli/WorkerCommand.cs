using System.CommandLine;

namespace Svi.Server.Cli;

// PLACEHOLDER: replaced by the issue that implements 'worker'.
public static class WorkerCommand
{
    public static Command Create()
    {
        var command = new Command("worker", "Run only a GPU worker that takes jobs from the shared PostgreSQL.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("'svi worker' is not implemented yet.");
            return 2;
        });
        return command;
    }
}
