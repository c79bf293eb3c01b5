namespace McpPlanServer.Clients.Hooks;

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

    /// <summary>
    /// Greedy matching that remembers only the last <c>*</c>: when a later part fails, that star takes one more
    /// character and matching resumes after it. Earlier stars never need to move again (whatever they would cover,
    /// the last one can), so the time is at most pattern length × name length instead of exponential in the stars.
    /// </summary>
    private static bool MatchFrom(string pattern, int p, string name, int n)
    {
        var starPattern = -1;
        var starName = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starPattern = ++p;
                starName = n;
                continue;
            }

            if (p < pattern.Length && MatchesOne(pattern, ref p, name[n]))
            {
                n++;
                continue;
            }

            if (starPattern < 0)
            {
                return false;
            }

            p = starPattern;
            n = ++starName;
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>Matches one character against the pattern element at <paramref name="p"/>; on success moves past it.</summary>
    private static bool MatchesOne(string pattern, ref int p, char c)
    {
        switch (pattern[p])
        {
            case '?':
                p++;
                return true;
            case '[' when pattern.IndexOf(']', Math.Min(p + 2, pattern.Length)) is var close and > 0:
                if (!ClassMatches(pattern.AsSpan(p + 1, close - p - 1), c))
                {
                    return false;
                }

                p = close + 1;
                return true;
            default:
                // an unclosed bracket is a literal character
                if (pattern[p] != c)
                {
                    return false;
                }

                p++;
                return true;
        }
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
