using System.CommandLine;
using Svi.Inference.Conformance;

namespace Svi.Server.Cli;

public static class ConformanceCommand
{
    public static Command Create()
    {
        var sets = new Argument<string[]>("set-dir")
        {
            Description = "One or more golden set folders (config.json + io.safetensors + weights), e.g. tests/golden/dit_i2v.",
            Arity = ArgumentArity.OneOrMore,
        };
        var tolerance = new Option<double>("--tol")
        {
            Description = "Largest accepted relative error ‖ours − ref‖₂ / ‖ref‖₂ per tensor.",
            DefaultValueFactory = _ => ConformanceRunners.DefaultTolerance,
        };
        var command = new Command("conformance",
            "Run our implementation of the component a golden set describes on the set's weights and inputs, print " +
            "max_abs_err and max_rel_err for every output, and exit 1 when any exceeds the tolerance.")
        {
            sets, tolerance,
        };
        command.SetAction(parse =>
        {
            int exitCode = 0;
            foreach (var dir in parse.GetValue(sets)!)
            {
                Console.WriteLine($"== {dir}");
                try
                {
                    var report = ConformanceRunners.Run(dir, parse.GetValue(tolerance));
                    report.WriteTo(Console.Out);
                    if (!report.Passed) exitCode = Math.Max(exitCode, 1);
                }
                catch (Exception e) when (e is NotSupportedException or FileNotFoundException or DirectoryNotFoundException)
                {
                    Console.Error.WriteLine($"error: {e.Message}");
                    exitCode = 2;
                }
            }
            return exitCode;
        });
        return command;
    }
}
