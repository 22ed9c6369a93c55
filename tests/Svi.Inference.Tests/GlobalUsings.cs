// The namespaces nearly every inference test uses.
global using Svi.Inference.Conformance;
global using Svi.Inference.Nn;
global using Svi.Inference.Pipeline;
global using Svi.Inference.Runtime;
global using Svi.Inference.Wan;
global using Svi.Inference.Weights;
global using Svi.Kernels.Safetensors;
global using Svi.Testing;
global using static TorchSharp.torch;
