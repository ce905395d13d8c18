using System.Management.Automation;
using AlignedGen.Evaluation;
using AlignedGen.Tokenization;

namespace AlignedGen.PowerShell.Evaluation;

/// <summary>
/// Maps Measure-AlignmentQuality's rows to and from the pipeline: the metric properties it adds to each object (only
/// the metrics that were measured: GuidingReward, HeldOutReward, Diversity, Coherence, Fluency, Length), the objects it
/// writes for -Prompt/-Response pairs, and which piped token ids may stand for a response.
/// </summary>
public static class QualityOutput
{
    /// <summary>The metric property names, in the order they are added.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = new[] { "GuidingReward", "HeldOutReward", "Diversity", "Coherence", "Fluency", "Length" };

    /// <summary>Adds (or overwrites) one property per metric that <paramref name="options"/> measure on <paramref name="target"/>.</summary>
    public static void AddMetrics(PSObject target, EvaluatedResponse measured, QualityEvaluatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(measured);
        ArgumentNullException.ThrowIfNull(options);
        if (options.GuidingReward is not null) SetProperty(target, "GuidingReward", measured.GuidingReward);
        if (options.HeldOutReward is not null) SetProperty(target, "HeldOutReward", measured.HeldOutReward);
        if (options.MeasureDiversity) SetProperty(target, "Diversity", measured.Diversity);
        if (options.Embedder is not null) SetProperty(target, "Coherence", measured.Coherence);
        if (options.FluencyModel is not null) SetProperty(target, "Fluency", measured.Fluency);
        SetProperty(target, "Length", measured.Length);
    }

    /// <summary>A new object for a pair given by parameters: Id (when given), Prompt, Response.</summary>
    public static PSObject NewPair(string? id, string prompt, string response)
    {
        var pair = new PSObject();
        if (id is not null) pair.Properties.Add(new PSNoteProperty("Id", id));
        pair.Properties.Add(new PSNoteProperty("Prompt", prompt));
        pair.Properties.Add(new PSNoteProperty("Response", response));
        return pair;
    }

    /// <summary>
    /// <paramref name="ids"/> when they can stand for <paramref name="response"/>: a tokenizer is in use and they decode to
    /// exactly the response (e.g. Invoke-RewardGuidedDecode output measured with the model that generated it); else null,
    /// and the response text is encoded instead.
    /// </summary>
    public static IReadOnlyList<int>? UsableTokenIds(int[]? ids, string response, ITextTokenizer? tokenizer)
    {
        if (ids is null || tokenizer is null) return null;
        var vocabulary = tokenizer.VocabularySize;
        if (ids.Any(id => id < 0 || id >= vocabulary)) return null;
        return tokenizer.Decode(ids) == response ? ids : null;
    }

    /// <summary>
    /// Sets the property <paramref name="name"/> of <paramref name="target"/>, adding a NoteProperty when it has none.
    /// Throws ArgumentException when the object's own property is read-only or cannot take the value.
    /// </summary>
    public static void SetProperty(PSObject target, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(target);
        var existing = target.Properties[name];
        if (existing is null)
        {
            target.Properties.Add(new PSNoteProperty(name, value));
            return;
        }
        if (existing.IsSettable)
        {
            try
            {
                existing.Value = value;
                return;
            }
            catch (Exception ex) when (ex is SetValueException or ExtendedTypeSystemException or PSInvalidCastException)
            {
                throw new ArgumentException($"The input's {name} property cannot hold the measured value {value ?? "(null)"} ({ex.Message}). Drop it first: Select-Object -ExcludeProperty {name}.", name, ex);
            }
        }
        throw new ArgumentException($"The input's {name} property is read-only, so the measured value cannot be written. Drop it first: Select-Object -ExcludeProperty {name}.", name);
    }
}
