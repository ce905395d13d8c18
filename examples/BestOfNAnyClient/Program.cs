using AlignedGen.Extensions.AI;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Microsoft.Extensions.AI;

namespace BestOfNAnyClient;

/// <summary>
/// Reward-guided Best-of-N around another chat client: every question goes to the inner client N times (at most
/// --concurrency at once), a local reward scores the answers, the best is returned, and every candidate's reward is
/// printed. The inner client here is a local model so the example runs offline; any IChatClient works the same way,
/// for instance <c>new OllamaApiClient(new Uri("http://localhost:11434"), "llama3.2")</c> (OllamaSharp) or
/// <c>new OpenAI.Chat.ChatClient("gpt-4o-mini", key).AsIChatClient()</c> (Microsoft.Extensions.AI.OpenAI).
/// <code>dotnet run --project examples/BestOfNAnyClient -- [--n 4] [--concurrency 2] [--reward rm-folder|hf:org/name|proxy] "question" ...</code>
/// The default reward counts distinct words (a stand-in that needs no model); --reward proxy uses the proxy reward
/// (length × repetition × relevance, all-MiniLM-L6-v2) and a folder or hf: reference an ONNX reward model.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        int n = 4, concurrency = 2;
        string? rewardArgument = null;
        var questions = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--n" when i + 1 < args.Length: n = int.Parse(args[++i]); break;
                case "--concurrency" when i + 1 < args.Length: concurrency = int.Parse(args[++i]); break;
                case "--reward" when i + 1 < args.Length: rewardArgument = args[++i]; break;
                default: questions.Add(args[i]); break;
            }
        }
        if (questions.Count == 0) questions.Add("Once upon a time");

        using var model = OnnxCausalLanguageModel.Load(DefaultModels.EnsureDemoModel());
        using IChatClient other = new AlignedChatClient(model); // stands for OpenAI, Ollama, onnxruntime-genai, ...
        var reward = OpenReward(rewardArgument);
        try
        {
            await RunAsync(other, reward, new BestOfNChatOptions(candidateCount: n, maxConcurrency: concurrency), questions, Console.Out);
        }
        finally
        {
            (reward as IDisposable)?.Dispose();
        }
        return 0;
    }

    /// <summary>Asks every question through Best-of-N over <paramref name="inner"/>; prints each candidate's reward and the chosen answer.</summary>
    public static async Task<IReadOnlyList<ChatResponse>> RunAsync(IChatClient inner, IRewardSource reward, BestOfNChatOptions options,
        IEnumerable<string> questions, TextWriter output, CancellationToken cancellationToken = default)
    {
        using var client = new ChatClientBuilder(inner)
            .UseBestOfN(reward, options)
            .Build();
        var responses = new List<ChatResponse>();
        foreach (var question in questions)
        {
            var response = await client.GetResponseAsync(question, new ChatOptions { MaxOutputTokens = 32, Seed = 1 }, cancellationToken);
            var selection = response.GetCandidateSelection()!;
            await output.WriteLineAsync($"Q: {question}");
            foreach (var candidate in selection.Candidates)
            {
                var mark = candidate.Index == selection.SelectedIndex ? "*" : " ";
                await output.WriteLineAsync(candidate.Error is null
                    ? $" {mark} [{candidate.Reward,7:F3}] {candidate.Text.ReplaceLineEndings(" ")}"
                    : $" {mark} [ failed] {candidate.Error.Message}");
            }
            await output.WriteLineAsync($"A: {response.Text.ReplaceLineEndings(" ")}  ({selection.RewardName}; {response.Usage?.TotalTokenCount} tokens over {selection.Candidates.Count} requests)");
            responses.Add(response);
        }
        return responses;
    }

    private static IRewardSource OpenReward(string? argument) => argument switch
    {
        null => DelegateRewardSource.PerQuery("distinct-words", q => q.Response.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct().Count()),
        "proxy" => ProxyRewardSource.CreateDefault(),
        _ => RewardModelLoader.FromFolder(AlignedGen.Hub.ModelLocation.ResolveFolder(argument)),
    };
}
