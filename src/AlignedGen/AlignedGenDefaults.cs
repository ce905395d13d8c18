namespace AlignedGen;

/// <summary>
/// Every default in one place; options classes, the strategy registry, ML.NET transforms, cmdlets and the CLI read
/// these. (Plain constants only: this namespace references no other, so every layer may read it.)
/// </summary>
public static class AlignedGenDefaults
{
    /// <summary>New tokens per prompt.</summary>
    public const int MaxNewTokens = 128;
    /// <summary>
    /// New tokens per response in a strategy comparison: shorter than <see cref="MaxNewTokens"/> because a comparison runs
    /// every setting over the same prompts (the committed report used it).
    /// </summary>
    public const int ComparisonMaxNewTokens = 64;
    /// <summary>Prompts decoded together in one batch, and rows per evaluation or reward call of the cmdlets and transforms.</summary>
    public const int BatchSize = 16;
    /// <summary>Memory budget for model caches when none is given: this share of the memory available when a run starts.</summary>
    public const double MemoryBudgetShare = 0.5;
    /// <summary>The smallest default memory budget in bytes (a tiny machine still decodes one row at a time).</summary>
    public const long MinimumMemoryBudgetBytes = 64L << 20;
    /// <summary>
    /// Models whose weights reach this many bytes get one intra-op thread per physical core by default; smaller ones get
    /// one thread. Below it a decoding step is per-call overhead, which a thread pool's hand-offs make slower
    /// (stories260K: 9 vs 7 ms per 32 tokens with 2 threads); above it a step reads the weights and every core helps
    /// (smollm2-135m fp32: 1.3–1.7× the tokens/s with 2 cores). docs/benchmarks.md, "Threads".
    /// </summary>
    public const long WeightBoundModelBytes = 32L << 20;
    /// <summary>The most intra-op threads the default gives one session.</summary>
    public const int MaxDefaultIntraOpThreads = 16;
    /// <summary>Relabeling: (prompt, response) pairs per reward call and per durable write.</summary>
    public const int RelabelBatchSize = 32;
    /// <summary>Sampling temperature (ARGS, Best-of-N and DARWIN use 0.7).</summary>
    public const double Temperature = 0.7;
    /// <summary>Top-k for plain sampling (0 = off).</summary>
    public const int SamplingTopK = 0;
    /// <summary>Top-p (1 = off).</summary>
    public const double TopP = 1.0;

    /// <summary>ARGS: candidates per step (Khanov et al.).</summary>
    public const int ArgsTopK = 10;
    /// <summary>ARGS: reward weight w (1.5 on HH-RLHF in the paper).</summary>
    public const double ArgsWeight = 1.0;
    /// <summary>ARGS-stochastic temperature.</summary>
    public const double ArgsTemperature = 0.7;

    /// <summary>Best-of-N: samples per prompt.</summary>
    public const int BestOfN = 4;

    /// <summary>DARWIN: beams (mutated instructions) per iteration.</summary>
    public const int DarwinBeams = 5;
    /// <summary>DARWIN: tokens between reward-guided replacements.</summary>
    public const int DarwinReplacementPeriod = 40;
    /// <summary>DARWIN: states kept at each replacement.</summary>
    public const int DarwinKeep = 3;
    /// <summary>DARWIN: iterations.</summary>
    public const int DarwinIterations = 3;
    /// <summary>DARWIN: sampling top-k.</summary>
    public const int DarwinTopK = 40;
    /// <summary>DARWIN: mutation calls per iteration (n_mutation); beams = <see cref="DarwinBeams"/> × this.</summary>
    public const int DarwinMutationRounds = 1;
    /// <summary>DARWIN: most tokens the model may write for one mutation (the list of rewritten instructions).</summary>
    public const int DarwinMutationMaxNewTokens = 256;
    /// <summary>DARWIN: most-selected beams whose instructions may join the archive after an iteration.</summary>
    public const int DarwinArchiveCandidates = 2;

    /// <summary>ONNX reward models: most rows per ONNX call.</summary>
    public const int RewardModelBatchSize = 16;
    /// <summary>
    /// ONNX reward models: what one more ONNX call costs, in padded token positions, when length-sorted rows are cut into
    /// batches (measured on CPU: rm-llama-seqcls about 15, rm-wordpiece about 30 tokens' worth; 32 leans to fewer calls; docs/benchmarks.md).
    /// </summary>
    public const int RewardCallOverheadTokens = 32;
    /// <summary>Sentence embedders: most texts per ONNX call.</summary>
    public const int EmbedderBatchSize = 32;
    /// <summary>Sentence embedders: tokens per text (longer texts are cut).</summary>
    public const int EmbedderMaxLength = 256;

    /// <summary>Hugging Face Hub: retries of a failed request or an interrupted transfer (each resumes where it stopped).</summary>
    public const int HubMaxRetries = 3;
    /// <summary>Hugging Face Hub: seconds to wait for an answer to one request (huggingface_hub waits 10).</summary>
    public const int HubRequestTimeoutSeconds = 10;

    /// <summary>Speculative Rejection: samples started per prompt (N).</summary>
    public const int SpeculativeRejectionSamples = 16;
    /// <summary>Speculative Rejection: fraction of the pool stopped at each decision point (rejection rate α; 0.5 in the authors' win-rate runs).</summary>
    public const double SpeculativeRejectionAlpha = 0.5;
    /// <summary>Speculative Rejection: tokens before the first decision point (the authors' code generates at least 8 before its first).</summary>
    public const int SpeculativeRejectionFirstDecision = 8;
    /// <summary>Speculative Rejection: sampling temperature (the authors' runs use 1.0).</summary>
    public const double SpeculativeRejectionTemperature = 1.0;
    /// <summary>Speculative Rejection: sampling top-k (the authors' runs use 50).</summary>
    public const int SpeculativeRejectionTopK = 50;

    /// <summary>CARDS: r* − reward(prompt) when no absolute threshold r* is given (chosen on rm-llama-cached; see docs/cards.md).</summary>
    public const double CardsRewardGain = 3.0;
    /// <summary>CARDS: a segment ends before a token whose next-token entropy (nats) reaches this (τH).</summary>
    public const double CardsEntropyThreshold = 3.0;
    /// <summary>CARDS: weight of the final threshold in the starting threshold, r0 = (1 − α)·reward(prompt) + α·r*.</summary>
    public const double CardsAlpha = 0.5;
    /// <summary>CARDS: sampling and acceptance temperature (β).</summary>
    public const double CardsBeta = 0.7;
    /// <summary>CARDS: sampling top-k.</summary>
    public const int CardsTopK = 40;
    /// <summary>CARDS: tokens a segment has before the entropy test may end it.</summary>
    public const int CardsMinSegmentLength = 4;
    /// <summary>CARDS: most tokens in one segment.</summary>
    public const int CardsMaxSegmentLength = 64;
    /// <summary>CARDS: rejections of one segment before the best candidate seen is taken without a test.</summary>
    public const int CardsMaxRetries = 20;
}
