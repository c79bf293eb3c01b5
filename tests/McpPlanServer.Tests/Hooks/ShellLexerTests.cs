using McpPlanServer.Clients.Hooks;

namespace McpPlanServer.Tests.Hooks;

public sealed class ShellLexerTests
{
    [Fact]
    public void Splits_on_control_operators_and_newlines()
    {
        var script = ShellLexer.Parse("a 1; b && c || d | e |& f & g\nh", homeDirectory: null);

        Assert.Equal(["a", "b", "c", "d", "e", "f", "g", "h"], script.Commands.Select(c => c.Words[0].Text));
    }

    [Fact]
    public void Removes_quotes_and_escapes()
    {
        var words = ShellLexer.Parse("echo 'a b' \"c $HOME d\" e\\ f", "/home/u").Commands[0].Words;

        Assert.Equal(["echo", "a b", "c /home/u d", "e f"], words.Select(w => w.Text));
        Assert.All(words, w => Assert.False(w.IsUnresolved));
    }

    [Fact]
    public void Tells_file_redirections_from_descriptor_copies()
    {
        var redirects = ShellLexer.Parse("cmd > out 2>&1 2> err >> log &> all < in >&2", null).Commands[0].Redirects;

        Assert.Equal(["out", "err", "log", "all"], redirects.Where(r => r.WritesFile).Select(r => r.Target.Text));
        Assert.Equal(7, redirects.Count);
    }

    [Fact]
    public void Collects_substitutions_and_marks_their_words_unresolved()
    {
        var script = ShellLexer.Parse("echo \"$(git commit)\" `rm x` <(git push) $((1+2))", null);

        Assert.Equal(["git commit", "rm x", "git push"], script.Substitutions);
        Assert.All(script.Commands[0].Words.Skip(1), w => Assert.True(w.IsUnresolved));
    }

    [Fact]
    public void Skips_here_document_bodies_and_comments()
    {
        var script = ShellLexer.Parse("cat <<-EOF > f # note; rm -rf /\n\tgit commit\n\tEOF\nls", null);

        Assert.Equal(["cat", "ls"], script.Commands.Select(c => c.Words[0].Text));
    }

    [Fact]
    public void Records_each_commands_terminator_and_the_subshell_parentheses_before_it()
    {
        var commands = ShellLexer.Parse("(cd /tmp); a && b || c | d & e\nf", null).Commands;

        Assert.Equal([")", "&&", "||", "|", "&", "\n", ""], commands.Select(c => c.Terminator));
        Assert.Equal("(", commands[0].LeadingParentheses);
        Assert.Equal(")", commands[1].LeadingParentheses);
    }

    [Fact]
    public void Keeps_substitutions_with_their_command_and_here_document_bodies()
    {
        var script = ShellLexer.Parse("cd x && echo $(pwd)\npython3 - <<EOF\nrun()\nEOF\nls", null);

        Assert.Empty(script.Commands[0].Substitutions!);
        Assert.Equal(["pwd"], script.Commands[1].Substitutions!);
        Assert.Equal(["run()\nEOF\n"], script.HereDocuments);
    }

    [Theory]
    [InlineData("echo ${")]
    [InlineData("echo 'open")]
    [InlineData("echo $(a 'b")]
    [InlineData("cat <<EOF\necho \\")]
    [InlineData("x `y")]
    public void Unfinished_input_is_read_to_its_end_without_failing(string source) =>
        Assert.NotEmpty(ShellLexer.Parse(source, null).Commands);
}
