using System.Text.Json;
using AlignedGen.Models;
using AlignedGen.Tokenization;
using Xunit;

namespace AlignedGen.Tests.Tokenization;

/// <summary>
/// Chat formats against the official Jinja templates rendered by @huggingface/jinja (committed oracle), the HH-RLHF
/// prompts in shared/data for Human/Assistant, and by construction for custom templates.
/// </summary>
public class ChatTemplateTests
{
    private sealed record Message(string Role, string Content);

    private sealed record RenderCase(string Format, string Conversation, Message[] Messages, bool AddGenerationPrompt, string? Text, string? Error);

    private sealed record RenderOracle(List<RenderCase> Cases);

    private static readonly RenderOracle Oracle = JsonSerializer.Deserialize<RenderOracle>(
        File.ReadAllText(TokenizerOracle.DataPath("chat-templates")), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;

    public static IEnumerable<object[]> Formats() => [["chatml"], ["llama3"], ["llama2"], ["phi3"]];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Format_MatchesOfficialJinjaTemplate(string format)
    {
        var template = ChatTemplate.FromName(format);
        var cases = Oracle.Cases.Where(c => c.Format == format).ToList();
        Assert.Equal(10, cases.Count);
        foreach (var c in cases)
        {
            var messages = c.Messages.Select(m => new ChatMessage(m.Role, m.Content)).ToList();
            if (c.Error is not null)
            {
                Assert.Throws<ArgumentException>(() => template.Format(messages, c.AddGenerationPrompt));
                continue;
            }
            Assert.Equal(c.Text, template.Format(messages, c.AddGenerationPrompt));
        }
    }

    [Fact]
    public void Llama2_RejectsNonAlternatingRoles()
    {
        var e = Assert.Throws<ArgumentException>(() => ChatTemplate.Llama2.Format([ChatMessage.User("a"), ChatMessage.User("b")]));
        Assert.Equal("messages", e.ParamName);
    }

    [SkippableFact]
    public void HumanAssistant_ReproducesHhRlhfPrompts()
    {
        var path = SharedFolder.Require("data", "hh-rlhf-harmless-base-test.prompts.jsonl");
        var checkedPrompts = 0;
        foreach (var line in File.ReadLines(path).Take(50))
        {
            var prompt = JsonDocument.Parse(line).RootElement.GetProperty("prompt").GetString()!;
            var messages = new List<ChatMessage>();
            foreach (var turn in prompt.Split("\n\nHuman: ").Skip(1))
            {
                var parts = turn.Split("\n\nAssistant:");
                messages.Add(ChatMessage.User(parts[0]));
                foreach (var reply in parts.Skip(1).Where(r => r.Length > 0)) messages.Add(ChatMessage.Assistant(reply.TrimStart(' ')));
            }
            if (!prompt.EndsWith("\n\nAssistant:", StringComparison.Ordinal) || messages.Count == 0) continue;
            Assert.Equal(prompt, ChatTemplate.HumanAssistant.Format(messages, addGenerationPrompt: true));
            checkedPrompts++;
        }
        Assert.True(checkedPrompts > 30, $"only {checkedPrompts} prompts checked");
    }

    [Fact]
    public void HumanAssistant_FormatsTurnsAndGenerationPrompt()
    {
        var text = ChatTemplate.FromName("hh").Format([ChatMessage.User("Hi"), ChatMessage.Assistant("Hello."), ChatMessage.User("Bye")]);
        Assert.Equal("\n\nHuman: Hi\n\nAssistant: Hello.\n\nHuman: Bye\n\nAssistant:", text);
    }

    [Fact]
    public void Custom_FillsPlaceholders()
    {
        var template = ChatTemplate.Custom(user: "### User:\n{user}\n", assistant: "### Assistant:\n{assistant}\n",
            system: "### System:\n{system}\n", generationPrompt: "### Assistant:\n", prefix: "<s>");
        var text = template.Format([ChatMessage.System("Be kind."), ChatMessage.User("Hi {there}"), ChatMessage.Assistant("Hello")], addGenerationPrompt: false);
        Assert.Equal("<s>### System:\nBe kind.\n### User:\nHi {there}\n### Assistant:\nHello\n", text);
        Assert.EndsWith("### Assistant:\n", template.Format([ChatMessage.User("x")]));
        Assert.Equal(ChatTemplateFormat.Custom, template.Kind);
    }

    [Fact]
    public void Custom_RejectsTemplateWithoutPlaceholder()
    {
        var e = Assert.Throws<ArgumentException>(() => ChatTemplate.Custom(user: "User: ", assistant: "{assistant}"));
        Assert.Equal("user", e.ParamName);
    }

    [Fact]
    public void FromName_RejectsUnknownName()
    {
        var e = Assert.Throws<ArgumentException>(() => ChatTemplate.FromName("vicuna"));
        Assert.Equal("name", e.ParamName);
    }

    [Fact]
    public void Detect_RecognisesOfficialTemplatesAndFallsBackToNone()
    {
        var templates = JsonDocument.Parse(File.ReadAllText(TokenizerOracle.DataPath("chat-templates"))).RootElement.GetProperty("templates");
        Assert.Equal(ChatTemplateFormat.ChatML, ChatTemplate.Detect(templates.GetProperty("chatml").GetProperty("template").GetString()));
        Assert.Equal(ChatTemplateFormat.Llama3, ChatTemplate.Detect(templates.GetProperty("llama3").GetProperty("template").GetString()));
        Assert.Equal(ChatTemplateFormat.Llama2, ChatTemplate.Detect(templates.GetProperty("llama2").GetProperty("template").GetString()));
        Assert.Equal(ChatTemplateFormat.Phi3, ChatTemplate.Detect(templates.GetProperty("phi3").GetProperty("template").GetString()));
        Assert.Equal(ChatTemplateFormat.None, ChatTemplate.Detect("{{ messages[0]['content'] }}"));
        Assert.Equal(ChatTemplateFormat.None, ChatTemplate.Detect(null));
    }

    [SkippableFact]
    public void FromFolder_InfersFormatFromTokenizerConfig()
    {
        var phi3 = ChatTemplate.FromFolder(SharedFolder.Require("tokenizers", "phi3"));
        Assert.Equal(ChatTemplateFormat.Phi3, phi3?.Kind);
        var llama = ChatTemplate.FromFolder(SharedFolder.Require("models", "tiny-random-llama-fp32"));
        Assert.Equal(ChatTemplateFormat.Llama2, llama?.Kind);
        Assert.True(llama!.WritesBeginningOfSequence);
        Assert.Null(ChatTemplate.FromFolder(SharedFolder.Require("tokenizers", "gpt2")));
        Assert.Null(ChatTemplate.FromFolder(SharedFolder.Require("models", "rm-wordpiece")));
    }

    [Fact]
    public void FromFolder_MalformedConfig_ThrowsModelFolderException()
    {
        var temp = Directory.CreateTempSubdirectory("alignedgen-chat-");
        try
        {
            File.WriteAllText(Path.Combine(temp.FullName, "tokenizer_config.json"), "{ \"chat_template\": ");
            var e = Assert.Throws<ModelFolderException>(() => ChatTemplate.FromFolder(temp.FullName));
            Assert.EndsWith("tokenizer_config.json", e.Path);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
}
