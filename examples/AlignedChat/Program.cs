using AlignedGen;
using AlignedGen.Extensions.AI;
using AlignedGen.Hub;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Microsoft.Extensions.AI;

namespace AlignedChat;

/// <summary>
/// A console chat over a local model through Microsoft.Extensions.AI:
/// <code>dotnet run --project examples/AlignedChat -- [--model folder|hf:org/name[@rev][/subfolder]] [--template chatml] [--args-weight 1.5 --reward rm-folder|hf:...]</code>
/// Each line you type is a user message; the answer streams as it is decoded; the conversation is kept; "/exit" or an
/// empty input ends it. Without --model it chats with the embedded demo model (pseudo-English, no chat template: it
/// continues your last line).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        ChatSettings settings;
        try
        {
            settings = ChatSettings.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(ChatSettings.Usage);
            return 2;
        }
        var progress = new ImmediateProgress<HubDownloadProgress>(p => Console.Error.Write($"\r{p.File}: {p.PercentComplete}%   "));
        using var model = OnnxCausalLanguageModel.Load(ModelLocation.ResolveFolder(settings.Model ?? DefaultModels.EnsureDemoModel(), progress: progress));
        using var reward = settings.Reward is { } r ? RewardModelLoader.FromFolder(ModelLocation.ResolveFolder(r, progress: progress)) : null;
        using IChatClient client = new AlignedChatClient(model, reward, new AlignedChatClientOptions(chatTemplate: settings.Template));
        await RunAsync(client, settings, Console.In, Console.Out);
        return 0;
    }

    /// <summary>The chat loop: reads user lines from <paramref name="input"/>, streams each answer to <paramref name="output"/>.</summary>
    public static async Task<IReadOnlyList<ChatMessage>> RunAsync(IChatClient client, ChatSettings settings, TextReader input, TextWriter output,
        CancellationToken cancellationToken = default)
    {
        var history = new List<ChatMessage>();
        var options = new ChatOptions { MaxOutputTokens = settings.MaxOutputTokens, Temperature = settings.Temperature, Seed = settings.Seed };
        if (settings.ArgsWeight is { } weight) options.WithArgs(weight: weight);
        var singleTurn = client.GetService<AlignedChatClient>() is { Options.ChatTemplate: null, Model.ChatTemplate: null };
        while (true)
        {
            await output.WriteAsync("> ");
            var line = await input.ReadLineAsync(cancellationToken);
            if (string.IsNullOrWhiteSpace(line) || line.Trim() == "/exit") break;
            if (singleTurn) history.Clear(); // a model without a chat template can only continue one text
            history.Add(new ChatMessage(ChatRole.User, line));
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync(history, options, cancellationToken))
            {
                await output.WriteAsync(update.Text);
                updates.Add(update);
            }
            var response = updates.ToChatResponse();
            history.AddMessages(response);
            await output.WriteLineAsync($"\n[{response.FinishReason}, {response.Usage?.OutputTokenCount} tokens"
                + (response.GetReward() is { } reward ? $", reward {reward:F3}" : "") + "]");
        }
        return history;
    }
}
