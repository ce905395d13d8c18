using AlignedGen.Models;
using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.Tests.Rewards;

/// <summary>Input formats, the token-id path and truncation, checked id by id with a word-level test tokenizer.</summary>
public sealed class RewardInputFormatTests
{
    private static readonly WordTestTokenizer Tokenizer = new();

    private static RewardInputEncoder Encoder(RewardInputFormat format, int? maxLength = null, RewardTruncation truncation = RewardTruncation.Left,
        bool strict = false, bool useTokenIds = false, WordTestTokenizer? tokenizer = null)
        => new("test-rm", format, tokenizer ?? Tokenizer, maxLength, truncation, strict, useTokenIds);

    private static int[] Ids(RewardInputFormat format, string prompt, string response, int? maxLength = null, RewardTruncation truncation = RewardTruncation.Left)
        => Encoder(format, maxLength, truncation).Encode(new RewardQuery(prompt, response), 0).Ids;

    [Fact]
    public void PromptSpaceResponse_is_bos_then_prompt_space_response()
    {
        Assert.Equal(new[] { 1, 5, 6, 7 }, Ids(RewardInputFormat.PromptSpaceResponse, "w5 w6", "w7"));
        // Documented empty cases: no trailing separator.
        Assert.Equal(new[] { 1, 5, 6 }, Ids(RewardInputFormat.PromptSpaceResponse, "w5 w6", ""));
        Assert.Equal(new[] { 1, 7 }, Ids(RewardInputFormat.PromptSpaceResponse, "", "w7"));
        Assert.Equal(new[] { 1 }, Ids(RewardInputFormat.PromptSpaceResponse, "", ""));
    }

    [Fact]
    public void BertPair_builds_cls_prompt_sep_response_sep_with_segment_start()
    {
        var row = Encoder(RewardInputFormat.BertPair).Encode(new RewardQuery("w5 w6", "w7"), 0);
        Assert.Equal(new[] { 101, 5, 6, 102, 7, 102 }, row.Ids);
        Assert.Equal(4, row.SecondSegmentStart);
        var empty = Encoder(RewardInputFormat.BertPair).Encode(new RewardQuery("w5", ""), 0);
        Assert.Equal(new[] { 101, 5, 102, 102 }, empty.Ids);
        Assert.Equal(3, empty.SecondSegmentStart);
    }

    [Fact]
    public void Template_fills_placeholders_in_one_pass()
    {
        var format = RewardInputFormat.Template("Q {prompt} A {response} end", addBos: false);
        var tok = new WordTestTokenizer();
        var ids = Encoder(format, tokenizer: tok).Encode(new RewardQuery("w5 {response}", "w7"), 0).Ids;
        // The literal "{response}" inside the prompt is not replaced a second time.
        Assert.Equal(new[] { tok.Encode("Q", false)[0], 5, tok.Encode("{response}", false)[0], tok.Encode("A", false)[0], 7, tok.Encode("end", false)[0] }, ids);
        Assert.NotEqual(7, ids[2]);
    }

    [Fact]
    public void HumanAssistant_renders_the_hh_layout()
    {
        var tok = new WordTestTokenizer();
        var ids = Encoder(RewardInputFormat.HumanAssistant, tokenizer: tok).Encode(new RewardQuery("w5", "w7"), 0).Ids;
        Assert.Equal(new[] { 1 }.Concat(tok.Encode("\n\nHuman: w5\n\nAssistant: w7", false)).ToArray(), ids);
    }

    [Fact]
    public void Template_without_response_placeholder_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => RewardInputFormat.Template("{prompt} only"));
        Assert.Equal("template", e.ParamName);
    }

    [Fact]
    public void ChatTemplate_uses_the_rendered_text_without_added_special_tokens()
    {
        var format = RewardInputFormat.ChatTemplate((p, r) => $"<s> {p} w9 {r}");
        Assert.Equal(new[] { 1, 5, 9, 7 }, Ids(format, "w5", "w7"));
    }

    [Theory]
    [InlineData(RewardTruncation.Left, new[] { 1, 7, 8, 9 })]
    [InlineData(RewardTruncation.Right, new[] { 1, 5, 6, 7 })]
    [InlineData(RewardTruncation.LongestFirst, new[] { 1, 5, 6, 7 })]
    public void Single_sequence_truncation_keeps_bos(RewardTruncation side, int[] expected)
    {
        var row = Encoder(RewardInputFormat.PromptSpaceResponse, 4, side).Encode(new RewardQuery("w5 w6", "w7 w8 w9"), 0);
        Assert.Equal(expected, row.Ids);
        Assert.True(row.Truncated);
    }

    [Theory]
    [InlineData(RewardTruncation.Left, new[] { 101, 7, 102, 8, 9, 102 }, 3)]
    [InlineData(RewardTruncation.Right, new[] { 101, 5, 6, 7, 102, 102 }, 5)]
    [InlineData(RewardTruncation.LongestFirst, new[] { 101, 5, 6, 102, 8, 102 }, 4)]
    public void Pair_truncation_keeps_special_tokens(RewardTruncation side, int[] expected, int secondStart)
    {
        var row = Encoder(RewardInputFormat.BertPair, 6, side).Encode(new RewardQuery("w5 w6 w7", "w8 w9"), 0);
        Assert.Equal(expected, row.Ids);
        Assert.Equal(secondStart, row.SecondSegmentStart);
    }

    [Theory]
    // Hugging Face longest_first: the shorter segment keeps its length when the budget allows, else both get half.
    [InlineData(10, 2, 8, 6, 2)]
    [InlineData(2, 10, 8, 2, 6)]
    [InlineData(10, 10, 7, 3, 4)]
    [InlineData(5, 4, 8, 4, 4)]
    [InlineData(20, 1, 4, 3, 1)]
    public void LongestFirst_lengths_follow_hugging_face(int a, int b, int budget, int expectedA, int expectedB)
    {
        var (n1, n2) = RewardInputEncoder.LongestFirstLengths(a, b, budget, isPair: true);
        Assert.Equal((expectedA, expectedB), (Math.Min(a, n1), Math.Min(b, n2)));
    }

    [Fact]
    public void Rows_within_the_limit_are_not_marked_truncated()
    {
        var row = Encoder(RewardInputFormat.PromptSpaceResponse, 4).Encode(new RewardQuery("w5", "w6 w7"), 0);
        Assert.False(row.Truncated);
        Assert.Equal(new[] { 1, 5, 6, 7 }, row.Ids);
    }

    [Fact]
    public void Strict_throws_instead_of_truncating_and_names_the_row()
    {
        var e = Assert.Throws<RewardSourceException>(() =>
            Encoder(RewardInputFormat.PromptSpaceResponse, 4, strict: true).Encode(new RewardQuery("w5 w6", "w7 w8 w9"), 3));
        Assert.Equal(3, e.Row);
        Assert.Equal("test-rm", e.SourceName);
        Assert.Contains("MaxLength 4", e.Message);
    }

    [Fact]
    public void A_limit_smaller_than_the_special_tokens_is_an_error()
    {
        var e = Assert.Throws<RewardSourceException>(() =>
            Encoder(RewardInputFormat.BertPair, 2).Encode(new RewardQuery("w5", "w6"), 1));
        Assert.Equal(1, e.Row);
    }

    [Fact]
    public void Token_id_path_uses_lm_ids_verbatim_and_keeps_bos_when_truncating()
    {
        var query = new RewardQuery("ignored text", "ignored") { PromptTokenIds = new[] { 1, 5, 6 }, ResponseTokenIds = new[] { 7, 8 } };
        Assert.Equal(new[] { 1, 5, 6, 7, 8 }, Encoder(RewardInputFormat.PromptSpaceResponse, useTokenIds: true).Encode(query, 0).Ids);
        Assert.Equal(new[] { 1, 7, 8 }, Encoder(RewardInputFormat.PromptSpaceResponse, 3, useTokenIds: true).Encode(query, 0).Ids);
        // Without UseTokenIds the text is tokenized instead.
        Assert.Equal(Tokenizer.Encode("ignored text ignored"), Encoder(RewardInputFormat.PromptSpaceResponse).Encode(query, 0).Ids);
    }

    [Fact]
    public void Token_id_path_with_a_pair_format_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Encoder(RewardInputFormat.BertPair, useTokenIds: true));
        Assert.Equal("useTokenIds", e.ParamName);
    }

    [Fact]
    public void Text_path_without_a_tokenizer_says_how_to_fix_it()
    {
        var encoder = new RewardInputEncoder("test-rm", RewardInputFormat.PromptSpaceResponse, null, null, RewardTruncation.Left, false, true);
        var e = Assert.Throws<InvalidOperationException>(() => encoder.Encode(new RewardQuery("a", "b"), 2));
        Assert.Contains("row 2", e.Message);
        Assert.Contains("token ids", e.Message);
    }

    [Fact]
    public void An_input_with_no_tokens_is_a_reward_source_error()
    {
        var format = RewardInputFormat.Template("{prompt}{response}", addBos: false);
        var e = Assert.Throws<RewardSourceException>(() => Encoder(format).Encode(new RewardQuery("", ""), 5));
        Assert.Equal(5, e.Row);
    }

    [Fact]
    public void Formats_check_the_tokenizer_for_the_special_tokens_they_need()
    {
        Assert.Throws<ModelFolderException>(() => RewardInputFormat.PromptSpaceResponse.CheckTokenizer(new WordTestTokenizer(withBos: false), "/x"));
        Assert.Throws<ModelFolderException>(() => RewardInputFormat.BertPair.CheckTokenizer(new WordTestTokenizer(withBertTokens: false), "/x"));
    }
}
