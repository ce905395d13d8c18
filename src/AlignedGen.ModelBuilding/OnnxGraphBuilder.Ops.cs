namespace AlignedGen.ModelBuilding;

/// <summary>One helper per standard operator the model builders use (opset 17 signatures); each returns its output's name.</summary>
public sealed partial class OnnxGraphBuilder
{
    /// <summary>Matrix product with numpy broadcasting.</summary>
    public string MatMul(string a, string b, string? output = null) => AddNode("MatMul", [a, b], output);

    /// <summary>Elementwise a + b.</summary>
    public string Add(string a, string b, string? output = null) => AddNode("Add", [a, b], output);

    /// <summary>Elementwise a - b.</summary>
    public string Sub(string a, string b, string? output = null) => AddNode("Sub", [a, b], output);

    /// <summary>Elementwise a * b.</summary>
    public string Mul(string a, string b, string? output = null) => AddNode("Mul", [a, b], output);

    /// <summary>Elementwise a / b.</summary>
    public string Div(string a, string b, string? output = null) => AddNode("Div", [a, b], output);

    /// <summary>Elementwise maximum.</summary>
    public string Max(string a, string b, string? output = null) => AddNode("Max", [a, b], output);

    /// <summary>Elementwise square root.</summary>
    public string Sqrt(string x, string? output = null) => AddNode("Sqrt", [x], output);

    /// <summary>Elementwise logistic sigmoid.</summary>
    public string Sigmoid(string x, string? output = null) => AddNode("Sigmoid", [x], output);

    /// <summary>Copies x under a new name (used to name graph outputs).</summary>
    public string Identity(string x, string? output = null) => AddNode("Identity", [x], output);

    /// <summary>Gathers slices of data along an axis (embedding lookup with axis 0).</summary>
    public string Gather(string data, string indices, long axis = 0, string? output = null) =>
        AddNode("Gather", [data, indices], output, OnnxAttribute.Int("axis", axis));

    /// <summary>Gathers single elements along an axis; indices have the rank of data.</summary>
    public string GatherElements(string data, string indices, long axis, string? output = null) =>
        AddNode("GatherElements", [data, indices], output, OnnxAttribute.Int("axis", axis));

    /// <summary>Reshapes x to an int64 shape tensor (0 copies the input dimension, -1 is inferred).</summary>
    public string Reshape(string x, string shape, string? output = null) => AddNode("Reshape", [x, shape], output);

    /// <summary>Reshapes x to a constant shape (0 copies the input dimension, -1 is inferred).</summary>
    public string Reshape(string x, long[] shape, string? output = null) => Reshape(x, Constant(shape), output);

    /// <summary>Permutes the axes of x.</summary>
    public string Transpose(string x, long[] perm, string? output = null) =>
        AddNode("Transpose", [x], output, OnnxAttribute.IntList("perm", perm));

    /// <summary>Concatenates inputs along an axis.</summary>
    public string Concat(long axis, IReadOnlyList<string> inputs, string? output = null) =>
        AddNode("Concat", inputs, output, OnnxAttribute.Int("axis", axis));

    /// <summary>Softmax along one axis (opset 13 semantics).</summary>
    public string Softmax(string x, long axis = -1, string? output = null) =>
        AddNode("Softmax", [x], output, OnnxAttribute.Int("axis", axis));

    /// <summary>Elementwise condition ? a : b.</summary>
    public string Where(string condition, string a, string b, string? output = null) => AddNode("Where", [condition, a, b], output);

    /// <summary>Converts x to another element type.</summary>
    public string Cast(string x, OnnxElementType to, string? output = null) =>
        AddNode("Cast", [x], output, OnnxAttribute.Int("to", (long)to));

    /// <summary>The shape of x as a 1-D int64 tensor.</summary>
    public string Shape(string x, string? output = null) => AddNode("Shape", [x], output);

    /// <summary>Slices x; starts/ends/axes are names of 1-D int64 tensors.</summary>
    public string Slice(string x, string starts, string ends, string axes, string? output = null) =>
        AddNode("Slice", [x, starts, ends, axes], output);

    /// <summary>Inserts size-1 axes.</summary>
    public string Unsqueeze(string x, long[] axes, string? output = null) => AddNode("Unsqueeze", [x, Constant(axes)], output);

    /// <summary>Removes size-1 axes.</summary>
    public string Squeeze(string x, long[] axes, string? output = null) => AddNode("Squeeze", [x, Constant(axes)], output);

    /// <summary>1-D sequence start, start+delta, ... below limit; all three are scalar names.</summary>
    public string Range(string start, string limit, string delta, string? output = null) => AddNode("Range", [start, limit, delta], output);

    /// <summary>Cumulative sum along an axis.</summary>
    public string CumSum(string x, long axis, string? output = null) => AddNode("CumSum", [x, Scalar(axis)], output);

    /// <summary>Elementwise a &lt;= b (bool).</summary>
    public string LessOrEqual(string a, string b, string? output = null) => AddNode("LessOrEqual", [a, b], output);

    /// <summary>Elementwise logical and.</summary>
    public string And(string a, string b, string? output = null) => AddNode("And", [a, b], output);

    /// <summary>Broadcasts x to a shape (numpy rules; the shape may have 1s where x is larger).</summary>
    public string Expand(string x, long[] shape, string? output = null) => AddNode("Expand", [x, Constant(shape)], output);

    /// <summary>Mean over axes (opset 17: axes are an attribute).</summary>
    public string ReduceMean(string x, long[] axes, bool keepDims = true, string? output = null) =>
        AddNode("ReduceMean", [x], output, OnnxAttribute.IntList("axes", axes), OnnxAttribute.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>Sum over axes (opset 13+: axes as an input).</summary>
    public string ReduceSum(string x, long[] axes, bool keepDims = true, string? output = null) =>
        AddNode("ReduceSum", [x, Constant(axes)], output, OnnxAttribute.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>Index of the (first) maximum along an axis, as int64.</summary>
    public string ArgMax(string x, long axis, bool keepDims = true, string? output = null) =>
        AddNode("ArgMax", [x], output, OnnxAttribute.Int("axis", axis), OnnxAttribute.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>Element <paramref name="index"/> of a 1-D tensor as a scalar (Gather with a scalar index).</summary>
    public string Element(string vector, long index, string? output = null) => Gather(vector, Scalar(index), 0, output);
}
