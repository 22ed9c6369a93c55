using Microsoft.ML.OnnxRuntime;

namespace Svi.Inference.Interpolation;

/// <summary>
/// Opens ONNX Runtime sessions on the CUDA execution provider where it loads (the Gpu package ships it, but it needs
/// the CUDA and cuDNN libraries of a GPU host) and on the CPU provider elsewhere, and logs which one it chose.
/// </summary>
public static class OnnxSessionFactory
{
    static readonly Serilog.ILogger Log = Serilog.Log.ForContext(typeof(OnnxSessionFactory));

    /// <param name="preferCuda">try the CUDA provider first (on device <paramref name="cudaDevice"/>)</param>
    public static (InferenceSession Session, OnnxExecutionProvider Provider) Open(string modelPath, bool preferCuda, int cudaDevice = 0) =>
        Open(Path.GetFileName(modelPath), options => new InferenceSession(modelPath, options), preferCuda, cudaDevice);

    /// <summary>Opens a graph held in memory (<paramref name="name"/> is for the log only).</summary>
    public static (InferenceSession Session, OnnxExecutionProvider Provider) Open(string name, byte[] model, bool preferCuda, int cudaDevice = 0) =>
        Open(name, options => new InferenceSession(model, options), preferCuda, cudaDevice);

    static (InferenceSession Session, OnnxExecutionProvider Provider) Open(string modelName, Func<SessionOptions, InferenceSession> open,
        bool preferCuda, int cudaDevice)
    {
        OnnxRuntimeAvailability.ThrowIfUnavailable();
        if (preferCuda && OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"))
        {
            try
            {
                var options = new SessionOptions();
                options.AppendExecutionProvider_CUDA(cudaDevice);
                var session = open(options);
                Log.Information("ONNX Runtime runs {Model} on the {Provider} execution provider (device {Device})",
                    modelName, "CUDA", cudaDevice);
                return (session, OnnxExecutionProvider.Cuda);
            }
            catch (OnnxRuntimeException e)
            {
                // A host without the CUDA libraries fails here; the CPU provider always loads.
                Log.Information("ONNX Runtime's CUDA execution provider did not load ({Reason}); using the CPU provider",
                    e.Message.Split('\n')[0]);
            }
        }
        var cpu = open(new SessionOptions());
        Log.Information("ONNX Runtime runs {Model} on the {Provider} execution provider", modelName, "CPU");
        return (cpu, OnnxExecutionProvider.Cpu);
    }
}
