using System.CommandLine;

namespace AlignedGen.Cli.Commands;

/// <summary>
/// `aligngen completion SHELL`: prints a script that makes the shell ask aligngen itself for completions, through
/// System.CommandLine's [suggest] directive — commands, options, and option values (strategies, devices, templates).
/// Needs no dotnet-suggest; add e.g. <c>source &lt;(aligngen completion bash)</c> to ~/.bashrc.
/// </summary>
public static class CompletionCommand
{
    private static readonly Dictionary<string, string> Scripts = new(StringComparer.Ordinal)
    {
        ["bash"] = """
            # aligngen completion for bash: source <(aligngen completion bash)
            _aligngen_complete() {
                local IFS=$'\n'
                COMPREPLY=( $(aligngen "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null) )
            }
            complete -o default -F _aligngen_complete aligngen
            """,
        ["zsh"] = """
            # aligngen completion for zsh: source <(aligngen completion zsh)
            _aligngen_complete() {
                local -a items
                items=("${(@f)$(aligngen "[suggest:${CURSOR}]" "${BUFFER}" 2>/dev/null)}")
                compadd -- $items
            }
            compdef _aligngen_complete aligngen
            """,
        ["pwsh"] = """
            # aligngen completion for PowerShell: aligngen completion pwsh | Out-String | Invoke-Expression
            Register-ArgumentCompleter -Native -CommandName aligngen -ScriptBlock {
                param($wordToComplete, $commandAst, $cursorPosition)
                aligngen "[suggest:$cursorPosition]" "$commandAst" 2>$null | ForEach-Object {
                    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
                }
            }
            """,
        ["fish"] = """
            # aligngen completion for fish: aligngen completion fish | source
            complete -c aligngen -f -a '(set -l line (commandline -cp); aligngen "[suggest:"(string length -- $line)"]" "$line" 2>/dev/null)'
            """,
    };

    public static Command Create(CliContext c)
    {
        var shell = new Argument<string>("SHELL") { Description = "bash, zsh, pwsh or fish." };
        shell.AcceptOnlyFromAmong(Scripts.Keys.ToArray());
        var command = new Command("completion", "Print a shell script that completes aligngen's commands, options and values (bash, zsh, pwsh, fish).");
        command.Arguments.Add(shell);
        c.SetAction(command, parse =>
        {
            c.Console.Out.WriteLine(Scripts[parse.GetValue(shell)!]);
            return ExitCodes.Ok;
        });
        return command;
    }
}
