using System.Runtime.InteropServices;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Git;

/// <summary>
/// Lets libgit2 keep large trees parsed for the life of a repository handle. By default it caches no tree object over
/// 4 KB, so each lookup by path in a 20,000-file folder (<c>tree[path]</c>: <c>git_tree_entry_bypath</c>) read, inflated and
/// parsed the folder's 800 KB tree again: <c>commit_step</c>'s check of the plan's earlier step commits did that three
/// times per commit. Set once per process, before the first handle is opened, on the libgit2 that LibGit2Sharp loaded
/// (LibGit2Sharp 0.32 has no call for these two options).
/// </summary>
internal static class GitObjectCache
{
    private const int SetCacheObjectLimit = 6; // GIT_OPT_SET_CACHE_OBJECT_LIMIT
    private const int SetCacheMaxSize = 7; // GIT_OPT_SET_CACHE_MAX_SIZE
    private const int TreeType = 2; // GIT_OBJECT_TREE

    private static readonly bool Configured = Configure();

    /// <summary>Whether libgit2 took both options (false leaves its defaults: slower, never wrong).</summary>
    public static bool Ensure() => Configured;

    private static bool Configure()
    {
        // Apple's arm64 ABI passes variadic arguments on the stack, where a fixed signature would not put them.
        if (OperatingSystem.IsMacOS() && RuntimeInformation.ProcessArchitecture == Architecture.Arm64)
        {
            return false;
        }

        // The budget first, so the larger trees never count against libgit2's 256 MB default.
        try
        {
            return git_libgit2_opts(SetCacheMaxSize, (nint)PlanLimits.GitObjectCacheMaxBytes) == 0
                && git_libgit2_opts(SetCacheObjectLimit, TreeType, (nuint)PlanLimits.GitCachedTreeMaxBytes) == 0;
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // git_libgit2_opts is variadic; on the 64-bit ABIs this ships for (System V x64, AAPCS64 outside Apple's platforms, Windows x64) its
    // integer arguments travel exactly as a fixed signature passes them, as in LibGit2Sharp's own declarations.
    [DllImport(GitAttributes.NativeLibrary, EntryPoint = "git_libgit2_opts")]
    private static extern int git_libgit2_opts(int option, nint size);

    [DllImport(GitAttributes.NativeLibrary, EntryPoint = "git_libgit2_opts")]
    private static extern int git_libgit2_opts(int option, int type, nuint size);
}
