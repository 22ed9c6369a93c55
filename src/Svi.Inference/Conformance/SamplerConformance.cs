using System.Globalization;
using System.Text.RegularExpressions;
using Svi.Inference.Sampling;

namespace Svi.Inference.Conformance;

/// <summary>
/// <c>samplers</c> sets: for every run in config.json, builds the sampler (UniPC or Euler), compares its
/// timestep and sigma tables and drives it from x0 with the set's stand-in network, comparing the whole
/// trajectory. The stand-in exists only here: <c>v(x, t) = a * x + b * sin(t / c)</c>, its numbers read
/// from <c>model_function</c>.
/// </summary>
public sealed partial class SamplerConformance : IConformanceRunner
{
    public string Component => "samplers";

    public void Run(ConformanceSet set, ConformanceReport report)
    {
        var standIn = StandIn.Parse(set.Config.GetProperty("model_function").GetString() ?? "");
        var x0 = set.Tensor("x0");
        foreach (var run in set.Config.GetProperty("runs").EnumerateArray())
        {
            string name = run.GetProperty("name").GetString()!;
            string solver = run.GetProperty("solver").GetString()!;
            int steps = run.GetProperty("steps").GetInt32();
            double shift = run.GetProperty("shift").GetDouble();
            using var scope = NewDisposeScope();

            IFlowSampler sampler;
            IReadOnlyList<float> sigmas;
            if (solver.StartsWith("unipc", StringComparison.OrdinalIgnoreCase))
            {
                var unipc = new FlowUniPcScheduler(steps, shift);
                (sampler, sigmas) = (unipc, unipc.Sigmas);
            }
            else if (solver.StartsWith("euler", StringComparison.OrdinalIgnoreCase))
            {
                var euler = new EulerFlowMatchScheduler(steps, shift);
                (sampler, sigmas) = (euler, euler.Sigmas);
            }
            else
            {
                report.Exact(name, false, $"unknown solver '{solver}'");
                continue;
            }

            report.Compare($"{name}.timesteps", tensor(sampler.Timesteps.ToArray()), set.Tensor($"{name}.timesteps"));
            report.Compare($"{name}.sigmas", tensor(sigmas.ToArray()), set.Tensor($"{name}.sigmas"));

            var states = new List<Tensor> { x0 };
            var x = x0;
            for (int i = 0; i < steps; i++)
            {
                var velocity = standIn.Velocity(x, sampler.Timesteps[i]);
                x = sampler.Step(x, velocity, i);
                states.Add(x);
            }
            (sampler as IDisposable)?.Dispose();
            report.Compare($"{name}.trajectory", stack(states), set.Tensor($"{name}.trajectory"));
        }
    }

    sealed partial record StandIn(double Gain, double Amplitude, double Period)
    {
        // x: any shape; t: the timestep as the sampler passes it, taken as fp32 like the reference's tensor
        public Tensor Velocity(Tensor x, float t)
        {
            using var timestep = tensor(new[] { t });
            using var wave = (timestep / Period).sin() * Amplitude;
            using var scaled = x * Gain;
            return scaled + wave;
        }

        public static StandIn Parse(string description)
        {
            var match = Formula().Match(description);
            if (!match.Success)
                throw new NotSupportedException($"model_function '{description}' is not of the form v(x, t) = a * x + b * sin(t / c)");
            double Number(int group) => double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
            return new StandIn(Number(1), Number(2), Number(3));
        }

        [GeneratedRegex(@"=\s*([-+0-9.eE]+)\s*\*\s*x\s*\+\s*([-+0-9.eE]+)\s*\*\s*sin\(\s*t\s*/\s*([-+0-9.eE]+)\s*\)")]
        private static partial Regex Formula();
    }
}
