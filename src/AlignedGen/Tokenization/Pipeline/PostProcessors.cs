namespace AlignedGen.Tokenization.Pipeline;

/// <summary>One item of a TemplateProcessing template: a sequence (A = 0, B = 1) or a special token's ids.</summary>
internal readonly record struct TemplatePiece(int SequenceIndex, int[] SpecialIds, int TypeId)
{
    public bool IsSequence => SequenceIndex >= 0;
}

/// <summary>HF <c>TemplateProcessing</c> (also used for BertProcessing and RobertaProcessing, which are fixed templates).</summary>
internal sealed class TemplatePostProcessor(IReadOnlyList<TemplatePiece> single, IReadOnlyList<TemplatePiece> pair) : IPostProcessor
{
    public int AddedTokenCount(bool isPair) => (isPair ? pair : single).Where(p => !p.IsSequence).Sum(p => p.SpecialIds.Length);

    public void Process(List<int> first, List<int>? second, List<int> ids, List<int> typeIds)
    {
        foreach (var piece in second is null ? single : pair)
        {
            if (piece.IsSequence)
            {
                var seq = piece.SequenceIndex == 0 ? first : second!;
                ids.AddRange(seq);
                for (var i = 0; i < seq.Count; i++) typeIds.Add(piece.TypeId);
            }
            else
            {
                ids.AddRange(piece.SpecialIds);
                for (var i = 0; i < piece.SpecialIds.Length; i++) typeIds.Add(piece.TypeId);
            }
        }
    }

    /// <summary>BertProcessing: [CLS] A [SEP] / [CLS] A [SEP] B [SEP] with type ids 0 then 1.</summary>
    public static TemplatePostProcessor Bert(int cls, int sep) => new(
        [new(-1, [cls], 0), new(0, [], 0), new(-1, [sep], 0)],
        [new(-1, [cls], 0), new(0, [], 0), new(-1, [sep], 0), new(1, [], 1), new(-1, [sep], 1)]);

    /// <summary>RobertaProcessing: &lt;s&gt; A &lt;/s&gt; / &lt;s&gt; A &lt;/s&gt;&lt;/s&gt; B &lt;/s&gt;, all type ids 0.</summary>
    public static TemplatePostProcessor Roberta(int cls, int sep) => new(
        [new(-1, [cls], 0), new(0, [], 0), new(-1, [sep], 0)],
        [new(-1, [cls], 0), new(0, [], 0), new(-1, [sep, sep], 0), new(1, [], 0), new(-1, [sep], 0)]);
}

/// <summary>Post-processors that add nothing (HF <c>ByteLevel</c>, which only trims offsets).</summary>
internal sealed class PassThroughPostProcessor : IPostProcessor
{
    public int AddedTokenCount(bool pair) => 0;

    public void Process(List<int> first, List<int>? second, List<int> ids, List<int> typeIds)
    {
        ids.AddRange(first);
        typeIds.AddRange(Enumerable.Repeat(0, first.Count));
        if (second is null) return;
        ids.AddRange(second);
        typeIds.AddRange(Enumerable.Repeat(0, second.Count));
    }
}

/// <summary>HF <c>Sequence</c> of post-processors: the one processor that adds tokens does the work.</summary>
internal static class PostProcessorSequence
{
    /// <summary>Combines steps; pass-through steps drop out, at most one template step may remain.</summary>
    public static IPostProcessor Combine(IReadOnlyList<IPostProcessor> steps)
    {
        var real = steps.Where(s => s is not PassThroughPostProcessor).ToList();
        if (real.Count > 1) throw new FormatException("a Sequence post_processor with more than one token-adding step is not supported");
        return real.Count == 1 ? real[0] : new PassThroughPostProcessor();
    }
}
