namespace AlignedGen.Models;

/// <summary>Where ONNX Runtime runs a model.</summary>
public enum ExecutionDevice
{
    /// <summary>The CPU execution provider (default; always available).</summary>
    Cpu = 0,
    /// <summary>The CUDA execution provider; needs the GPU build flavour and CUDA 13 libraries.</summary>
    Cuda = 1,
}
