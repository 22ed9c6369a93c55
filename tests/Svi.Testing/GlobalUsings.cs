// The namespaces most of the shared test kit uses.
global using Svi.Inference.Pipeline;
global using Svi.Inference.Runtime;
global using static TorchSharp.torch;
