using AlignedGen.ModelBuilding;
using Xunit;

namespace AlignedGen.Tests.ModelBuilding;

public sealed class OnnxGraphBuilderTests
{
    [Fact]
    public void ProtobufEncodingMatchesTheProtobufDocumentationExamples()
    {
        // From the protobuf encoding guide: field 1 = 150 is 08 96 01; field 2 = "testing" is 12 07 74 65 73 74 69 6e 67.
        var w = new ProtobufWriter();
        w.WriteInt64(1, 150);
        w.WriteString(2, "testing");
        Assert.Equal(Convert.FromHexString("089601120774657374696e67"), w.ToArray());

        var negative = new ProtobufWriter();
        negative.WriteInt64(1, -1); // int64 -1 is a ten-byte varint
        Assert.Equal(Convert.FromHexString("08ffffffffffffffffff01"), negative.ToArray());

        var single = new ProtobufWriter();
        single.WriteFloat(1, 1f); // fixed32 wire type 5, little-endian IEEE 754
        Assert.Equal(Convert.FromHexString("0d0000803f"), single.ToArray());

        var nested = new ProtobufWriter();
        nested.WriteMessage(3, m => m.WriteInt64(1, 150));
        Assert.Equal(Convert.FromHexString("1a03089601"), nested.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AffineGraphRunsInOnnxRuntime(bool externalData)
    {
        float[] weights = [1, 2, 3, 4, 5, 6];   // [3, 2]
        float[] bias = [0.5f, -1f];
        var g = new OnnxGraphBuilder("affine");
        var x = g.AddInput("x", OnnxElementType.Float, "batch", 3);
        var y = g.Add(g.MatMul(x, g.AddInitializer("w", weights, 3, 2)), g.AddInitializer("b", bias, 2), "y");
        g.AddOutput(y, OnnxElementType.Float, "batch", 2);

        using var temp = new TempFolder();
        var path = temp.Sub("affine.onnx");
        g.Save(path, externalData, externalThresholdBytes: 0);
        Assert.Equal(externalData, File.Exists(path + ".data"));

        using var model = new OrtModel(path);
        float[] input = [1, 0, -1, 2, 1, 0];   // two rows
        var result = model.Run(new Dictionary<string, HostTensor> { ["x"] = HostTensor.Float(input, 2, 3) })["y"];
        // Row 1: [1, 0, -1]·W = [1 - 5, 2 - 6] = [-4, -4]; row 2: [2, 1, 0]·W = [2 + 3, 4 + 4] = [5, 8]; plus bias.
        Assert.Equal(new[] { -3.5f, -5f, 5.5f, 7f }, result.Floats!);
    }

    [Fact]
    public void Float16InitializerWithCastRuns()
    {
        var g = new OnnxGraphBuilder();
        var x = g.AddInput("x", OnnxElementType.Float, 2);
        var w = g.Cast(g.AddFloat16Initializer("w16", [0.5f, 1.25f], 2), OnnxElementType.Float);
        g.AddOutput(g.Mul(x, w, "y"), OnnxElementType.Float, 2);
        using var temp = new TempFolder();
        var path = temp.Sub("half.onnx");
        g.Save(path);
        using var model = new OrtModel(path);
        Assert.Equal(new[] { 1f, -2.5f }, model.Run(new Dictionary<string, HostTensor> { ["x"] = HostTensor.Float([2f, -2f], 2) })["y"].Floats!);
    }

    [Fact]
    public void MistakesAreReportedWithTheParameterName()
    {
        var g = new OnnxGraphBuilder();
        var x = g.AddInput("x", OnnxElementType.Float, 1);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => g.AddInput("x", OnnxElementType.Float, 1)).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => g.Add(x, "missing")).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => g.AddOutput("nothing", OnnxElementType.Float, 1)).ParamName);
        Assert.Equal("dims", Assert.Throws<ArgumentException>(() => g.AddInitializer("w", [1f, 2f, 3f], 2, 2)).ParamName);
        Assert.Equal("opsetVersion", Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxGraphBuilder(opsetVersion: 11)).ParamName);
    }
}
