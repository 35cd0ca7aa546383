using System.CommandLine;

namespace AdoBridge.Cli.Commands;

/// <summary>
/// `adobridge completion bash|zsh|powershell`: a script that asks adobridge itself what may come next (System.CommandLine's
/// [suggest] directive), so completions always match the installed version's commands and options.
/// </summary>
internal static class CompletionCommand
{
    private const string Bash = """
        # adobridge completion for bash. Load it with: source <(adobridge completion bash)
        _adobridge_complete() {
          local IFS=$'\n'
          local candidates
          candidates="$(adobridge "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)"
          COMPREPLY=( $(compgen -W "${candidates}" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _adobridge_complete adobridge
        """;

    private const string Zsh = """
        #compdef adobridge
        # adobridge completion for zsh. Load it with: source <(adobridge completion zsh)
        _adobridge_complete() {
          local -a candidates
          candidates=("${(@f)$(adobridge "[suggest:${CURSOR}]" "${BUFFER}" 2>/dev/null)}")
          compadd -- "${candidates[@]}"
        }
        compdef _adobridge_complete adobridge
        """;

    private const string PowerShell = """
        # adobridge completion for PowerShell. Load it with: adobridge completion powershell | Out-String | Invoke-Expression
        Register-ArgumentCompleter -Native -CommandName adobridge -ScriptBlock {
            param($wordToComplete, $commandAst, $cursorPosition)
            adobridge "[suggest:$cursorPosition]" "$commandAst" 2>$null | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
                [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
            }
        }
        """;

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh or powershell." };
        shell.AcceptOnlyFromAmong("bash", "zsh", "powershell");
        var command = new Command("completion", "Prints the shell-completion script for bash, zsh or PowerShell (commands, options and their values).") { shell };
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.WriteLine(parse.GetValue(shell) switch
            {
                "bash" => Bash,
                "zsh" => Zsh,
                _ => PowerShell,
            });
            return ExitCodes.Ok;
        });
        return command.WithExamples(
            "adobridge completion bash > /etc/bash_completion.d/adobridge",
            "source <(adobridge completion bash)          # add to ~/.bashrc",
            "source <(adobridge completion zsh)           # add to ~/.zshrc",
            "adobridge completion powershell | Out-String | Invoke-Expression   # add to $PROFILE");
    }
}
