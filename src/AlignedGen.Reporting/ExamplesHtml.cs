using System.Text;
using AlignedGen.Evaluation;

namespace AlignedGen.Reporting;

/// <summary>The side-by-side examples: for the first prompts, every setting's response in a grid, HTML-escaped.</summary>
internal static class ExamplesHtml
{
    /// <summary>Appends the examples section; a note instead when there are no responses or none are asked for.</summary>
    public static void Append(StringBuilder html, ComparisonResult result, AlignmentReportOptions options, PlottedReward? reward)
    {
        var promptIds = result.Responses.Select(r => r.PromptId).Distinct(StringComparer.Ordinal).Take(options.ExamplePromptCount).ToArray();
        html.AppendLine("<section id=\"examples\">");
        html.AppendLine("<h2>Example responses</h2>");
        if (promptIds.Length == 0)
        {
            html.AppendLine(options.ExamplePromptCount == 0
                ? "<p class=\"note\">Examples were not asked for (example prompt count 0).</p>"
                : "<p class=\"note\">The comparison result holds no responses to show.</p>");
            html.AppendLine("</section>");
            return;
        }
        html.AppendLine($"<p>The first {promptIds.Length} prompts, with every setting's response side by side. "
            + $"Responses longer than {options.MaxExampleCharacters} characters are cut with an ellipsis.</p>");
        var byKey = result.Responses
            .GroupBy(r => (r.Setting, r.PromptId))
            .ToDictionary(g => g.Key, g => g.First());
        foreach (var promptId in promptIds)
        {
            var prompt = result.Responses.First(r => r.PromptId == promptId).Prompt;
            html.AppendLine($"<div class=\"example\" data-prompt-id=\"{ReportText.Escape(promptId)}\">");
            html.AppendLine($"<h3>Prompt {ReportText.Escape(promptId)}</h3>");
            html.AppendLine($"<p class=\"prompt\">{ReportText.Escape(ReportText.Truncate(prompt, options.MaxExampleCharacters))}</p>");
            html.AppendLine("<div class=\"responses\">");
            foreach (var summary in result.Summaries)
            {
                byKey.TryGetValue((summary.Setting, promptId), out var response);
                AppendResponse(html, summary.Setting, response, options, reward);
            }
            html.AppendLine("</div></div>");
        }
        html.AppendLine("</section>");
    }

    private static void AppendResponse(StringBuilder html, string setting, EvaluatedResponse? response, AlignmentReportOptions options, PlottedReward? reward)
    {
        html.AppendLine($"<div class=\"response\" data-setting=\"{ReportText.Escape(setting)}\">");
        html.AppendLine($"<h4>{ReportText.Escape(setting)}</h4>");
        if (response is null)
        {
            html.AppendLine($"<p class=\"text missing\">{ReportText.Missing} (no response)</p></div>");
            return;
        }
        html.AppendLine($"<p class=\"text\">{ReportText.Escape(ReportText.Truncate(response.Response, options.MaxExampleCharacters))}</p>");
        var facts = new List<string>();
        if (reward is not null && reward.Of(response) is { } value) facts.Add($"{reward.Kind} {ReportText.Number(value)}");
        if (reward?.IsHeldOut != false && response.GuidingReward is { } guiding) facts.Add($"guiding {ReportText.Number(guiding)}");
        facts.Add($"{response.Length} tokens");
        if (response.FinishReason is { } finish) facts.Add($"stopped: {finish.ToString().ToLowerInvariant()}");
        html.AppendLine($"<p class=\"meta\">{ReportText.Escape(string.Join(" · ", facts))}</p></div>");
    }
}
