namespace McpPlanServer.Cli.Hooks;

/// <summary>Shell file-name patterns (<c>*</c>, <c>?</c>, <c>[a-z]</c>, <c>[!x]</c>) with the shell's rule that only a pattern starting with a dot matches a hidden name.</summary>
internal static class GlobPattern
{
    public static bool Matches(string pattern, string name)
    {
        if (name.StartsWith('.') && !pattern.StartsWith('.'))
        {
            return false;
        }

        return MatchFrom(pattern, 0, name, 0);
    }

    private static bool MatchFrom(string pattern, int p, string name, int n)
    {
        while (p < pattern.Length)
        {
            switch (pattern[p])
            {
                case '*':
                    for (var rest = n; rest <= name.Length; rest++)
                    {
                        if (MatchFrom(pattern, p + 1, name, rest))
                        {
                            return true;
                        }
                    }

                    return false;
                case '?':
                    if (n >= name.Length)
                    {
                        return false;
                    }

                    p++;
                    n++;
                    break;
                case '[':
                    var close = pattern.IndexOf(']', p + 2);
                    if (close < 0)
                    {
                        goto default; // an unclosed bracket is a literal character
                    }

                    if (n >= name.Length || !ClassMatches(pattern.AsSpan(p + 1, close - p - 1), name[n]))
                    {
                        return false;
                    }

                    p = close + 1;
                    n++;
                    break;
                default:
                    if (n >= name.Length || pattern[p] != name[n])
                    {
                        return false;
                    }

                    p++;
                    n++;
                    break;
            }
        }

        return n == name.Length;
    }

    private static bool ClassMatches(ReadOnlySpan<char> set, char c)
    {
        var negate = set.Length > 0 && set[0] is '!' or '^';
        if (negate)
        {
            set = set[1..];
        }

        var found = false;
        for (var i = 0; i < set.Length; i++)
        {
            if (i + 2 < set.Length && set[i + 1] == '-')
            {
                found |= c >= set[i] && c <= set[i + 2];
                i += 2;
            }
            else
            {
                found |= c == set[i];
            }
        }

        return found != negate;
    }
}
