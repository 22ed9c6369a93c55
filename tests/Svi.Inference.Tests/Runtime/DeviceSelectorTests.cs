using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Svi.Inference.Tests.Runtime;

public class DeviceSelectorTests
{
    sealed class Collect : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];
        public void Emit(LogEvent e) => Events.Add(e);
    }

    sealed class FakeCuda(int count, string? reason = null) : ICudaRuntime
    {
        public (int Count, string? Reason) Probe() => (count, reason);
    }

    sealed class FakeMemory(GpuMemory? gpu, long? host) : IDeviceMemoryProbe
    {
        public GpuMemory? Gpu(int index) => gpu;
        public long? HostAvailableBytes() => host;
    }

    static (ILogger, Collect) Logger()
    {
        var sink = new Collect();
        return (new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger(), sink);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("cuda")]
    [InlineData("cuda:0")]
    public void Without_cuda_every_request_falls_back_to_the_cpu_with_a_warning(string requested)
    {
        var (log, sink) = Logger();
        var device = DeviceSelector.Select(requested, new FakeCuda(0, "no driver"), new FakeMemory(null, 16L << 30), log);
        Assert.Equal("cpu", device.Name);
        Assert.False(device.IsCuda);
        var warning = Assert.Single(sink.Events, e => e.Level == LogEventLevel.Warning);
        Assert.Contains("no driver", warning.RenderMessage());
        Assert.Contains("CPU", warning.RenderMessage());
    }

    [Fact]
    public void Auto_picks_the_first_cuda_device_and_reads_its_free_memory()
    {
        var (log, _) = Logger();
        var device = DeviceSelector.Select("auto", new FakeCuda(2), new FakeMemory(new GpuMemory("NVIDIA H100", 79L << 30, 80L << 30), null), log);
        Assert.Equal("cuda:0", device.Name);
        Assert.Equal(79L << 30, device.FreeBytes);
        Assert.Equal("NVIDIA H100", device.Description);
    }

    [Fact]
    public void A_cuda_index_that_does_not_exist_is_a_configuration_error()
    {
        var (log, _) = Logger();
        var e = Assert.Throws<DeviceUnavailableException>(() =>
            DeviceSelector.Select("cuda:3", new FakeCuda(1), new FakeMemory(null, null), log));
        Assert.Contains("cuda:3", e.Message);
        Assert.Contains("1 CUDA device", e.Message);
    }

    [Fact]
    public void The_real_cuda_probe_answers_on_a_machine_without_a_gpu_instead_of_throwing()
    {
        var (count, reason) = new TorchCudaRuntime().Probe();
        if (count == 0) Assert.False(string.IsNullOrEmpty(reason));
        else Assert.Null(reason);
    }

    [Theory]
    [InlineData("cpu", true)]
    [InlineData("cuda:12", true)]
    [InlineData("cuda:-1", false)]
    [InlineData("tpu", false)]
    public void Device_strings_parse(string text, bool valid) => Assert.Equal(valid, DeviceSelector.TryParse(text, out _));

    [Fact]
    public void Nvidia_smi_and_meminfo_output_parse()
    {
        var gpu = SystemMemoryProbe.ParseNvidiaSmi("NVIDIA H100 80GB HBM3, 80517, 81559\n");
        Assert.Equal(new GpuMemory("NVIDIA H100 80GB HBM3", 80517L << 20, 81559L << 20), gpu);
        Assert.Null(SystemMemoryProbe.ParseNvidiaSmi("No devices were found"));
        Assert.Equal(23_000_000L * 1024, SystemMemoryProbe.ParseMemAvailable("MemTotal: 24000000 kB\nMemAvailable:   23000000 kB\n"));
    }
}
