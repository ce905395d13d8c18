using AlignedGen.Decoding;
using Xunit;

namespace AlignedGen.Tests.Decoding;

public class InstructionListParserTests
{
    [Theory]
    [InlineData("1. Bake a cake\n2. Make a cake at home\n3. Cake, step by step\n4. A simple cake\n5. How to bake a cake?")]
    [InlineData("Sure! Here they are:\n\n1) Bake a cake\n2) Make a cake at home\n\n3) Cake, step by step\n4) A simple cake\n5) How to bake a cake?\n")]
    [InlineData("  1.Bake a cake\r\n  2. Make a cake at home\r\n3.   Cake, step by step  \r\n4. \"A simple cake\"\r\n5. How to bake a cake?")]
    [InlineData("1. Bake a cake\n2. Make a cake at home\n3. Cake, step by step\n4. A simple cake\n5. How to bake a cake?\nOriginal instruction: How to fly?\n1. How do birds fly?")]
    public void Numbered_lists_in_either_style_give_exactly_the_items(string text)
    {
        Assert.True(InstructionListParser.TryParse(text, 5, out var items, out var problem), problem);
        Assert.Equal(new[] { "Bake a cake", "Make a cake at home", "Cake, step by step", "A simple cake", "How to bake a cake?" }, items);
    }

    [Theory]
    [InlineData("1. One\n2. Two\n3. Three\n4. Four", "4 items")]
    [InlineData("1. One\n2. Two\n3. Three\n4. Four\n5. Five\n6. Six", "6 items")]
    [InlineData("Once upon a time there was a cat.", "no numbered list")]
    [InlineData("", "no numbered list")]
    [InlineData("1. One\n3. Three\n4. Four\n5. Five\n6. Six", "1 items")]
    [InlineData("1. One\n2. Two\nand then\n3. Three\n4. Four\n5. Five", "2 items")]
    [InlineData("2. Two\n3. Three\n4. Four\n5. Five\n6. Six", "no numbered list")]
    public void Malformed_lists_are_rejected_saying_what_was_found(string text, string found)
    {
        Assert.False(InstructionListParser.TryParse(text, 5, out var items, out var problem));
        Assert.Empty(items);
        Assert.Contains(found, problem);
    }

    [Fact]
    public void Mutation_prompt_fills_its_placeholders_and_requires_the_instruction()
    {
        var text = DarwinMutationPrompt.Format(DarwinMutationPrompt.Default, "Write a poem about rain.", 5);
        Assert.StartsWith("You are a professional prompt engineer.", text);
        Assert.EndsWith("Original instruction: Write a poem about rain.\n", text);
        Assert.Contains("into 5 different instructions", text);
        Assert.True(InstructionListParser.TryParse(text, 5, out var example, out _), "the few-shot example is itself a 5-item list");
        Assert.Equal("How to bake a delicious cake?", example[0]);
        Assert.Equal("Rewrite {x} 3 times: Hi", DarwinMutationPrompt.Format("Rewrite {x} {count} times: {instruction}", "Hi", 3));
        var ex = Assert.Throws<ArgumentException>(() => DarwinMutationPrompt.Format("no placeholder", "Hi", 5));
        Assert.Equal("template", ex.ParamName);
    }
}
