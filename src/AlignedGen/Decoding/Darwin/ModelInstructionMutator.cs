using AlignedGen.Models;
using AlignedGen.Tokenization;

namespace AlignedGen.Decoding;

/// <summary>
/// DARWIN's exploration step: the LM itself rewrites each request's parent instruction into M variants with the
/// mutation prompt (wrapped in the model's chat template when it has one), all requests × rounds in one batch. A round
/// whose text does not hold exactly M usable numbered instructions falls back to M copies of the parent.
/// </summary>
internal sealed class ModelInstructionMutator : IInstructionMutator
{
    private readonly DarwinOptions _options;
    private readonly GenerationOptions _generation;

    public ModelInstructionMutator(DarwinOptions options)
    {
        _options = options;
        _generation = new GenerationOptions(maxNewTokens: options.MutationMaxNewTokens, stopAtEos: true);
    }

    /// <summary>The chat format the mutation prompt is wrapped in for this context, or null for the raw prompt.</summary>
    public ChatTemplate? TemplateFor(DecodingContext context)
    {
        if (_options.MutationChatTemplate is not null) return _options.MutationChatTemplate;
        var name = context.Options.ChatTemplate;
        if (name is not null && !name.Equals("auto", StringComparison.OrdinalIgnoreCase)) return ChatTemplate.FromName(name);
        var folder = (context.Model as OnnxCausalLanguageModel)?.Folder;
        return folder is null ? null : ChatTemplate.FromFolder(folder);
    }

    /// <summary>The token ids of the mutation prompt for <paramref name="parent"/>.</summary>
    public IReadOnlyList<int> EncodePrompt(DecodingContext context, string parent, int count)
    {
        var text = DarwinMutationPrompt.Format(_options.MutationPrompt, parent, count);
        var template = TemplateFor(context);
        if (template is null) return context.Model.Tokenizer.Encode(text, context.Options.AddSpecialTokens);
        var chat = template.Format(new[] { ChatMessage.User(text) }, addGenerationPrompt: true);
        return context.Model.Tokenizer.Encode(chat, addSpecialTokens: !template.WritesBeginningOfSequence && context.Options.AddSpecialTokens);
    }

    /// <summary>Runs the mutation rounds for every request in one batch: <c>result[p][r]</c> is round r for request p.</summary>
    public IReadOnlyList<IReadOnlyList<DarwinMutation>> Mutate(DecodingContext context, IReadOnlyList<string> parents, int count, int rounds, int iteration, CancellationToken cancellationToken)
    {
        var result = new DarwinMutation[parents.Count][];
        var rows = new List<SequenceRow>();
        var slots = new List<(int Request, int Round)>();
        int window = context.Model.Config.ContextLength;
        for (int p = 0; p < parents.Count; p++)
        {
            result[p] = new DarwinMutation[rounds];
            var ids = EncodePrompt(context, parents[p], count);
            for (int r = 0; r < rounds; r++)
            {
                if (ids.Count >= window)
                {
                    result[p][r] = Fallback(parents[p], count, "", 0, $"the mutation prompt has {ids.Count} tokens, more than the model's context of {window}");
                    continue;
                }
                rows.Add(new SequenceRow(p, r, ids, Math.Min(_options.MutationMaxNewTokens, window - ids.Count), DarwinSeeds.Mutation(context.RequestSeed(p), iteration)));
                slots.Add((p, r));
            }
        }
        if (rows.Count == 0) return result;

        using var batch = context.StartBatch(rows, _generation);
        SamplingStrategy.DecodeToEnd(batch, _options.Sampling, cancellationToken);
        for (int i = 0; i < slots.Count; i++)
        {
            var (p, r) = slots[i];
            var text = context.Model.Tokenizer.Decode(batch[i].GeneratedTokens, skipSpecialTokens: true);
            result[p][r] = Read(context, text, batch[i].GeneratedTokens.Count, parents[p], count);
        }
        return result;
    }

    private static DarwinMutation Read(DecodingContext context, string text, int generated, string parent, int count)
    {
        if (!InstructionListParser.TryParse(text, count, out var instructions, out var problem))
            return Fallback(parent, count, text, generated, problem!);
        for (int k = 0; k < instructions.Count; k++)
        {
            try
            {
                context.EncodePrompt(instructions[k], $"mutated instruction {k + 1}");
            }
            catch (ArgumentException e)
            {
                return Fallback(parent, count, text, generated, $"mutated instruction {k + 1} is unusable ({e.Message})");
            }
        }
        return new DarwinMutation { GeneratedText = text, Parsed = true, Instructions = instructions, GeneratedTokenCount = generated };
    }

    private static DarwinMutation Fallback(string parent, int count, string text, int generated, string problem) => new()
    {
        GeneratedText = text,
        Parsed = false,
        Instructions = Enumerable.Repeat(parent, count).ToArray(),
        Problem = problem,
        GeneratedTokenCount = generated,
    };
}
