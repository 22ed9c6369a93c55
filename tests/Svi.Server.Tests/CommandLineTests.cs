using Svi.Server.Cli;

namespace Svi.Server.Tests;

public class CommandLineTests
{
    [Theory]
    [InlineData("serve")]
    [InlineData("worker")]
    [InlineData("generate")]
    [InlineData("models")]
    [InlineData("conformance")]
    [InlineData("bench")]
    public void Every_entry_point_is_a_subcommand(string name)
    {
        Assert.Contains(SviCommandLine.Create().Subcommands, c => c.Name == name);
    }
}

// Shares the collection of the other tests that redirect the process-wide Console.
[Collection(nameof(Pipeline.GenerateCommandTests))]
public class BenchCommandTests
{
    [Fact]
    public async Task Dit_bench_times_a_forward_and_reports_its_rate()
    {
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        int exitCode;
        try
        {
            exitCode = await SviCommandLine.Create().Parse(
                ["bench", "dit", "--dim", "64", "--ffn", "128", "--heads", "1", "--layers", "1", "--resolution", "64x32",
                 "--latent-frames", "2", "--dtype", "float32", "--iterations", "1"]).InvokeAsync();
        }
        finally
        {
            Console.SetOut(previous);
        }
        Assert.Equal(0, exitCode);
        Assert.Contains("16 tokens (2x2x4)", output.ToString());
        Assert.Matches(@"best \d+ ms, mean \d+ ms, [\d.]+ TFLOP/s", output.ToString());
    }

    [Fact]
    public async Task Dit_bench_rejects_a_resolution_that_is_not_a_multiple_of_16()
    {
        Assert.Equal(2, await SviCommandLine.Create().Parse(["bench", "dit", "--resolution", "100x50"]).InvokeAsync());
    }

    [Theory]
    [InlineData("100x50")]
    [InlineData("64x30")]
    public async Task Vae_bench_takes_sizes_in_multiples_of_8(string resolution)
    {
        var (exitCode, error) = await RunWithErrorsAsync("bench", "vae", "--weights", "random", "--resolution", resolution);
        Assert.Equal(2, exitCode);
        Assert.Contains($"--resolution must be WIDTHxHEIGHT in multiples of 8; got '{resolution}'", error);
    }

    [Fact]
    public async Task Vae_bench_needs_random_weights()
    {
        var (exitCode, error) = await RunWithErrorsAsync("bench", "vae", "--resolution", "64x32");
        Assert.Equal(2, exitCode);
        Assert.Contains("bench vae needs --weights random", error);
    }

    static async Task<(int ExitCode, string Error)> RunWithErrorsAsync(params string[] args)
    {
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            return (await SviCommandLine.Create().Parse(args).InvokeAsync(), error.ToString());
        }
        finally
        {
            Console.SetError(previous);
        }
    }
}
