using System.Text;

namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// A small POSIX-shell reader, enough for the hook to see which commands a Bash call runs and where it writes:
/// quotes, escapes, line continuations, comments, control operators, redirections with descriptor numbers,
/// here-documents (skipped), command and process substitutions (collected for separate analysis) and
/// <c>$HOME</c>/<c>~</c>. It is not a full shell: anything it cannot evaluate is marked unresolved.
/// </summary>
internal sealed class ShellLexer
{
    private static readonly string[] RedirectOperators = ["&>>", "&>", "<<<", "<<-", ">>", ">|", ">&", "<<", "<&", "<>", ">", "<"];

    private readonly string _source;
    private readonly string? _homeDirectory;
    private readonly List<ShellCommand> _commands = [];
    private readonly List<string> _substitutions = [];
    private readonly List<string> _hereDocuments = [];
    private List<string> _commandSubstitutions = [];
    private string _pendingParentheses = "";
    private readonly Queue<(string Delimiter, bool StripTabs)> _pendingHereDocuments = new();
    private List<ShellWord> _words = [];
    private List<ShellRedirect> _redirects = [];
    private string? _pendingRedirect;
    private int _position;

    private ShellLexer(string source, string? homeDirectory)
    {
        _source = source;
        _homeDirectory = homeDirectory;
    }

    public static ShellScript Parse(string source, string? homeDirectory)
    {
        var lexer = new ShellLexer(source, homeDirectory);
        lexer.Run();
        return new ShellScript(lexer._commands, lexer._substitutions, lexer._hereDocuments);
    }

    private char Peek(int offset = 0) => _position + offset < _source.Length ? _source[_position + offset] : '\0';

    private void Run()
    {
        while (_position < _source.Length)
        {
            var c = Peek();
            if (c is ' ' or '\t' or '\r')
            {
                _position++;
            }
            else if (c == '\\' && Peek(1) == '\n')
            {
                _position += 2;
            }
            else if (c == '\n')
            {
                _position++;
                EndCommand("\n");
                SkipHereDocumentBodies();
            }
            else if (c == '#')
            {
                while (_position < _source.Length && Peek() != '\n')
                {
                    _position++;
                }
            }
            else if ((c is '<' or '>') && Peek(1) == '(')
            {
                // Process substitution: its commands run too; as an argument it is a pipe, not a file.
                _position += 2;
                AddSubstitution(ReadBalanced());
                AddWord(ShellWord.Unknown("<(…)"));
            }
            else if (c is '<' or '>' || (c == '&' && Peek(1) == '>'))
            {
                ReadRedirectOperator();
            }
            else if (c is '(' or ')')
            {
                _position++;
                EndCommand(c.ToString());
                _pendingParentheses += c;
            }
            else if (c is ';' or '&' or '|')
            {
                var length = Peek(1) is ';' or '&' or '|' ? 2 : 1;
                var terminator = _source.Substring(_position, length);
                _position += length;
                EndCommand(terminator);
            }
            else
            {
                var word = ReadWord(out var wasPlainDigits);
                if (wasPlainDigits && Peek() is '<' or '>')
                {
                    ReadRedirectOperator(); // "2>" "1>>": the digits name a descriptor, not an argument
                }
                else
                {
                    AddWord(word);
                }
            }
        }

        EndCommand("");
    }

    private void AddSubstitution(string text)
    {
        _substitutions.Add(text);
        _commandSubstitutions.Add(text);
    }

    private void ReadRedirectOperator()
    {
        foreach (var op in RedirectOperators)
        {
            if (string.CompareOrdinal(_source, _position, op, 0, op.Length) == 0)
            {
                _position += op.Length;
                _pendingRedirect = op;
                return;
            }
        }
    }

    private void AddWord(ShellWord word)
    {
        if (_pendingRedirect is "<<" or "<<-")
        {
            _pendingHereDocuments.Enqueue((word.Text, _pendingRedirect == "<<-"));
            _pendingRedirect = null;
        }
        else if (_pendingRedirect is not null)
        {
            _redirects.Add(new ShellRedirect(_pendingRedirect, word));
            _pendingRedirect = null;
        }
        else
        {
            _words.Add(word);
        }
    }

    /// <param name="terminator">The control operator that ended the command (<c>;</c> <c>&amp;&amp;</c> <c>|</c> <c>(</c> …; a newline; empty at the end).</param>
    private void EndCommand(string terminator)
    {
        if (_words.Count > 0 || _redirects.Count > 0 || _commandSubstitutions.Count > 0)
        {
            _commands.Add(new ShellCommand(_words, _redirects, terminator, _pendingParentheses, _commandSubstitutions));
            _pendingParentheses = "";
            _commandSubstitutions = [];
        }

        _words = [];
        _redirects = [];
        _pendingRedirect = null;
    }

    private void SkipHereDocumentBodies()
    {
        while (_pendingHereDocuments.Count > 0)
        {
            var (delimiter, stripTabs) = _pendingHereDocuments.Dequeue();
            var bodyStart = _position;
            while (_position < _source.Length)
            {
                var end = _source.IndexOf('\n', _position);
                var line = end < 0 ? _source[_position..] : _source[_position..end];
                _position = end < 0 ? _source.Length : end + 1;
                if ((stripTabs ? line.TrimStart('\t') : line).TrimEnd('\r') == delimiter)
                {
                    break;
                }
            }

            _hereDocuments.Add(_source[bodyStart.._position]);
        }
    }

    private ShellWord ReadWord(out bool wasPlainDigits)
    {
        var text = new StringBuilder();
        var unresolved = false;
        var hasGlob = false;
        var quoted = false;
        while (_position < _source.Length)
        {
            var c = Peek();
            if (c is ' ' or '\t' or '\r' or '\n' or ';' or '&' or '|' or '(' or ')' or '<' or '>')
            {
                break;
            }

            switch (c)
            {
                case '\\':
                    if (Peek(1) != '\n' && _position + 1 < _source.Length)
                    {
                        text.Append(Peek(1));
                    }

                    quoted = true;
                    _position = Math.Min(_position + 2, _source.Length);
                    break;
                case '\'':
                    var close = _source.IndexOf('\'', _position + 1);
                    close = close < 0 ? _source.Length : close;
                    text.Append(_source, _position + 1, close - _position - 1);
                    _position = Math.Min(close + 1, _source.Length);
                    quoted = true;
                    break;
                case '"':
                    _position++;
                    unresolved |= ReadDoubleQuoted(text);
                    quoted = true;
                    break;
                case '`':
                    _position++;
                    AddSubstitution(ReadBacktick());
                    unresolved = true;
                    break;
                case '$':
                    unresolved |= ReadDollar(text);
                    break;
                case '~' when text.Length == 0 && !quoted && Peek(1) is '/' or '\0' or ' ' or '\t' or '\n' or ';' or '&' or '|' or ')':
                    _position++;
                    if (_homeDirectory is null)
                    {
                        unresolved = true;
                        text.Append('~');
                    }
                    else
                    {
                        text.Append(_homeDirectory);
                    }

                    break;
                default:
                    hasGlob |= c is '*' or '?' or '[';
                    text.Append(c);
                    _position++;
                    break;
            }
        }

        var value = text.ToString();
        wasPlainDigits = !quoted && !unresolved && value.Length > 0 && value.All(char.IsAsciiDigit);
        return new ShellWord(value, unresolved, hasGlob);
    }

    /// <summary>Reads up to the closing quote; returns true when the text depends on an expansion.</summary>
    private bool ReadDoubleQuoted(StringBuilder text)
    {
        var unresolved = false;
        while (_position < _source.Length)
        {
            var c = Peek();
            if (c == '"')
            {
                _position++;
                break;
            }

            if (c == '\\' && Peek(1) is '$' or '`' or '"' or '\\' or '\n')
            {
                if (Peek(1) != '\n')
                {
                    text.Append(Peek(1));
                }

                _position += 2;
            }
            else if (c == '`')
            {
                _position++;
                AddSubstitution(ReadBacktick());
                unresolved = true;
            }
            else if (c == '$')
            {
                unresolved |= ReadDollar(text);
            }
            else
            {
                text.Append(c);
                _position++;
            }
        }

        return unresolved;
    }

    /// <summary>Reads a <c>$</c> expansion at the cursor; returns true when its value is unknown to the hook.</summary>
    private bool ReadDollar(StringBuilder text)
    {
        var start = _position;
        var next = Peek(1);
        if (next == '(')
        {
            _position += 2;
            if (Peek() == '(')
            {
                _position++;
                ReadBalanced(); // arithmetic $((…)): no commands run
                _position = Math.Min(_position + 1, _source.Length);
            }
            else
            {
                AddSubstitution(ReadBalanced());
            }

            text.Append(_source, start, _position - start);
            return true;
        }

        string? name = null;
        if (next == '{')
        {
            var close = _source.IndexOf('}', _position + 2);
            close = close < 0 ? _source.Length : close;
            name = _source[Math.Min(_position + 2, close)..close];
            _position = Math.Min(close + 1, _source.Length);
        }
        else if (char.IsAsciiLetter(next) || next == '_')
        {
            var end = _position + 1;
            while (end < _source.Length && (char.IsAsciiLetterOrDigit(_source[end]) || _source[end] == '_'))
            {
                end++;
            }

            name = _source[(_position + 1)..end];
            _position = end;
        }
        else if (next is '?' or '$' or '!' or '#' or '@' or '*' or '-' || char.IsAsciiDigit(next))
        {
            _position += 2;
        }
        else
        {
            text.Append('$'); // a lone dollar sign is literal
            _position++;
            return false;
        }

        if (name == "HOME" && _homeDirectory is not null)
        {
            text.Append(_homeDirectory);
            return false;
        }

        text.Append(_source, start, _position - start);
        return true;
    }

    /// <summary>Reads to the parenthesis that closes one already consumed, respecting quotes; returns the text inside.</summary>
    private string ReadBalanced()
    {
        var start = _position;
        var depth = 1;
        while (_position < _source.Length)
        {
            var c = Peek();
            if (c == '\\')
            {
                _position = Math.Min(_position + 2, _source.Length);
                continue;
            }

            if (c == '\'' || c == '"')
            {
                var close = _position + 1;
                while (close < _source.Length && _source[close] != c)
                {
                    close += c == '"' && _source[close] == '\\' ? 2 : 1;
                }

                _position = Math.Min(close + 1, _source.Length);
                continue;
            }

            if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                var inner = _source[start.._position];
                _position++;
                return inner;
            }

            _position++;
        }

        return _source[Math.Min(start, _source.Length)..];
    }

    private string ReadBacktick()
    {
        var inner = new StringBuilder();
        while (_position < _source.Length && Peek() != '`')
        {
            if (Peek() == '\\' && Peek(1) is '`' or '\\' or '$')
            {
                _position++;
            }

            inner.Append(Peek());
            _position++;
        }

        _position = Math.Min(_position + 1, _source.Length);
        return inner.ToString();
    }
}
