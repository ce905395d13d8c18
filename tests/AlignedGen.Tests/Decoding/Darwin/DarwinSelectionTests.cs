using AlignedGen.Decoding;
using Xunit;

namespace AlignedGen.Tests.Decoding;

public class DarwinSelectionTests
{
    [Fact]
    public void Top_states_are_the_best_rewards_best_first_with_ties_to_the_lower_beam()
    {
        Assert.Equal(new[] { 3, 1, 4 }, DarwinSelection.TopStates(new[] { 0.1f, 0.5f, -1f, 0.9f, 0.5f }, 3));
        Assert.Equal(new[] { 0, 1 }, DarwinSelection.TopStates(new[] { 2f, 2f, 2f }, 2));
    }

    [Fact]
    public void Replacements_take_every_running_unkept_beam_to_a_kept_state_drawn_in_beam_order()
    {
        var kept = new[] { 3, 1, 4 };
        var finished = new[] { false, false, true, false, false, false };
        var plan = DarwinSelection.PlanReplacements(kept, finished, new Random(9));
        var draws = new Random(9);
        var expected = new[] { 0, 5 }.Select(b => (b, kept[draws.Next(3)])).ToArray();
        Assert.Equal(expected, plan);
    }

    [Fact]
    public void Most_selected_beams_leave_out_beams_never_kept()
    {
        Assert.Equal(new[] { 2, 0 }, DarwinSelection.MostSelected(new[] { 3, 1, 4, 3, 0 }, 2));
        Assert.Equal(new[] { 1 }, DarwinSelection.MostSelected(new[] { 0, 2, 0 }, 2));
    }

    [Fact]
    public void Archive_takes_instructions_that_beat_their_parent_and_keeps_each_ones_best_reward()
    {
        var archive = new DarwinArchive("seed", 0.5f);
        Assert.False(archive.Offer("a", 0.5f, parentReward: 0.5f));   // must beat, not tie
        Assert.True(archive.Offer("a", 0.7f, parentReward: 0.5f));
        Assert.False(archive.Offer("a", 0.6f, parentReward: 0.5f));   // already holds more
        Assert.True(archive.Offer("a", 0.9f, parentReward: 0.5f));
        Assert.True(archive.Offer("seed", 0.8f, parentReward: 0.5f)); // a copy of the parent raises the parent
        Assert.Equal(new[] { new DarwinArchiveEntry("seed", 0.8f), new DarwinArchiveEntry("a", 0.9f) }, archive.Entries);
        var draws = new Random(4);
        var picks = Enumerable.Range(0, 20).Select(_ => archive.Pick(new Random(4)).Instruction).Distinct().ToArray();
        Assert.Single(picks);   // same stream, same pick
        Assert.Equal(archive.Entries[draws.Next(2)].Instruction, picks[0]);
    }
}
