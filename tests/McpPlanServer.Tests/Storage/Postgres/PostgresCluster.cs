using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace McpPlanServer.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL cluster for the test run: initdb once into a temp folder, started on a free loopback port,
/// stopped and deleted when the test assembly's tests end (<see cref="PostgresClusterShutdown"/>, an assembly fixture: a
/// process-exit handler runs after xUnit v3's end-of-run check and fails the run). Each test takes a fresh database of its own. Root cannot run the
/// server, so as root the cluster belongs to the <c>postgres</c> user (Debian's package creates it). Outside CI a machine
/// without PostgreSQL skips these tests; in CI (.ci/run installs it) they must run.
/// </summary>
public sealed class PostgresCluster
{
    private static readonly Lazy<PostgresCluster?> Instance = new(Start);
    private static int databases;

    private readonly bool asRoot;

    private PostgresCluster(string folder, int port, string binaries, bool asRoot)
    {
        Folder = folder;
        Port = port;
        Binaries = binaries;
        this.asRoot = asRoot;
    }

    public string Folder { get; }

    public int Port { get; }

    public string Binaries { get; }

    /// <summary>The shared cluster; skips the test when PostgreSQL is not installed outside CI.</summary>
    public static PostgresCluster Shared
    {
        get
        {
            Assert.SkipWhen(FindBinaries() is null && Environment.GetEnvironmentVariable("CI") != "true", "PostgreSQL is not installed: apt-get install -y postgresql (.ci/run does)");
            return Instance.Value ?? throw new InvalidOperationException("PostgreSQL could not be started; see the test output.");
        }
    }

    /// <summary>A new empty database; returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = $"t{Environment.ProcessId}_{Interlocked.Increment(ref databases)}";
        Run(Path.Combine(Binaries, "createdb"), ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", name]);
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name}";
    }

    public static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(version => Path.Combine(version, "bin")).Where(bin => File.Exists(Path.Combine(bin, "pg_ctl"))).OrderDescending().FirstOrDefault()
            : null;

    private static PostgresCluster? Start()
    {
        var binaries = FindBinaries() ?? throw new InvalidOperationException("PostgreSQL binaries not found under /usr/lib/postgresql (apt-get install -y postgresql).");
        var folder = Path.Combine(Path.GetTempPath(), "mcpplan-pg-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(folder);
        var data = Path.Combine(folder, "data");
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            Run("chown", ["postgres:postgres", folder]);
        }

        RunAs(asRoot, Path.Combine(binaries, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
        var port = FreePort();
        RunAs(asRoot, Path.Combine(binaries, "pg_ctl"), ["-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "-o", $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300", "start"]);
        var cluster = new PostgresCluster(folder, port, binaries, asRoot);
        return cluster;
    }

    /// <summary>Stops and deletes the shared cluster if a test started it; a no-op otherwise, and on a second call.</summary>
    public static void StopShared()
    {
        if (!Instance.IsValueCreated || Instance.Value is not { } cluster || !Directory.Exists(cluster.Folder))
        {
            return;
        }

        try
        {
            RunAs(cluster.asRoot, Path.Combine(cluster.Binaries, "pg_ctl"), ["-D", Path.Combine(cluster.Folder, "data"), "-m", "immediate", "stop"]);
        }
        finally
        {
            Directory.Delete(cluster.Folder, recursive: true);
        }
    }

    private static void RunAs(bool asRoot, string program, string[] arguments) =>
        Run(asRoot ? "runuser" : program, asRoot ? ["-u", "postgres", "--", program, .. arguments] : arguments);

    private static void Run(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error}{output.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
