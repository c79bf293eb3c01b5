using McpPlanServer.Core.Diagnostics;
using Npgsql;

namespace McpPlanServer.Storage.Postgres;

/// <summary>
/// Changes of every machine, pushed by the database: each committed change sends <c>pg_notify(channel, repository)</c>
/// (see <see cref="PostgresLockScope"/>) and this listener, holding one connection in <c>LISTEN</c>, wakes
/// on it — no polling. A dropped connection is re-opened with a growing pause, and a change is reported after each
/// reconnect, since notifications sent while it was away are lost. A change that alters no plan's text, folder or status
/// (a claim taken or released, a step recorded, a commit intent) is sent on a channel of its own
/// (<see cref="ActivityChannel"/>), heard only with <paramref name="activity"/> (the board, which shows progress and who
/// holds what): on a small machine 50 servers woken by every claim and step of every machine made each caller wait for
/// that herd before it got its answer, and a server's resources (the plans' markdown, by folder) change with none of them.
/// The database wakes every listening connection for every notification whatever its channel, so activity is sent only
/// while a board watches: a listener with <paramref name="activity"/> keeps a row in <c>mcpplan_watchers</c> (schema 6)
/// renewed while it runs and removed when it stops, and reports one change a moment after it first watches, for activity
/// that was committed unannounced while its row was being written.
/// </summary>
public sealed class PostgresChangeListener(NpgsqlDataSource dataSource, string repository, bool activity = false) : IPlanChangeSource
{
    /// <summary>Changes of a plan's text, folder or status: what a server's resources and their list are made of, and what its client is told of.</summary>
    public const string Channel = "mcpplan_changes";

    /// <summary>Every other change: claims (<c>mcpplan_claim_swap</c>), steps recorded, commit intents, acceptance files.</summary>
    public const string ActivityChannel = "mcpplan_activity";

    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(5);

    /// <summary>How long a board's watch holds without renewal: a board that died stops activity notifications after this.</summary>
    public static readonly TimeSpan WatchHolds = TimeSpan.FromSeconds(60);

    /// <summary>How often a running board renews its watch.</summary>
    private static readonly TimeSpan WatchRenewal = TimeSpan.FromSeconds(20);

    /// <summary>How long after a board starts watching it looks again, for activity committed unannounced meanwhile.</summary>
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(1);

    /// <summary>The shortest wait handed to Npgsql (see <see cref="WaitTimeout"/>).</summary>
    private static readonly TimeSpan MinWait = TimeSpan.FromMilliseconds(1);

    private readonly string watcher = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public async Task RunAsync(Func<CancellationToken, Task> onChange, CancellationToken cancellationToken)
    {
        var pause = TimeSpan.FromMilliseconds(100);
        var reconnect = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                var pending = 0;
                connection.Notification += (_, notification) =>
                {
                    if (notification.Payload == repository)
                    {
                        pending++;
                    }
                };
                await using (var listen = new NpgsqlCommand(activity ? $"LISTEN {Channel}; LISTEN {ActivityChannel}" : $"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                if (reconnect)
                {
                    await onChange(cancellationToken);
                }

                pause = TimeSpan.FromMilliseconds(100);

                // A board watches (see the class); a server waits for notifications alone.
                DateTime? renewAt = null;
                DateTime? catchUpAt = null;
                if (activity)
                {
                    await WatchAsync(connection, cancellationToken);
                    (renewAt, catchUpAt) = (DateTime.UtcNow + WatchRenewal, DateTime.UtcNow + CatchUp);
                }

                try
                {
                    while (true)
                    {
                        if (renewAt is not { } renewal)
                        {
                            await connection.WaitAsync(cancellationToken);
                        }
                        else
                        {
                            var due = catchUpAt is { } lookAgain && lookAgain < renewal ? lookAgain : renewal;
                            await connection.WaitAsync(WaitTimeout(due, DateTime.UtcNow), cancellationToken);
                        }

                        if (catchUpAt <= DateTime.UtcNow)
                        {
                            catchUpAt = null;
                            pending++;
                        }

                        if (renewAt <= DateTime.UtcNow)
                        {
                            await WatchAsync(connection, cancellationToken);
                            renewAt = DateTime.UtcNow + WatchRenewal;
                        }

                        if (pending > 0)
                        {
                            BenchTimings.Count("wake", pending);
                            pending = 0;
                            await onChange(cancellationToken);
                        }
                    }
                }
                finally
                {
                    if (activity)
                    {
                        await UnwatchAsync(connection);
                    }
                }
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (Exception error) when (error is NpgsqlException or IOException or TimeoutException)
            {
                reconnect = true;
                await Task.Delay(pause, cancellationToken);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
            }
        }
    }

    /// <summary>
    /// How long to wait for a notification before a timer falls <paramref name="due"/>: never under a millisecond, because
    /// Npgsql reads a timeout of 0 ms (a remainder under 1 ms, or a time already past) as "wait forever", which left a board
    /// that woke a fraction of a millisecond early waiting past its catch-up and its watch's renewal.
    /// </summary>
    internal static TimeSpan WaitTimeout(DateTime due, DateTime now) =>
        due - now is var left && left > MinWait ? left : MinWait;

    /// <summary>Writes (or renews) this board's watch, and drops the watches of boards that stopped renewing theirs.</summary>
    private async Task WatchAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            DELETE FROM mcpplan_watchers WHERE repository = @repository AND until < now();
            INSERT INTO mcpplan_watchers (repository, watcher, until) VALUES (@repository, @watcher, now() + @holds)
            ON CONFLICT (repository, watcher) DO UPDATE SET until = EXCLUDED.until
            """,
            connection);
        command.Parameters.AddWithValue("repository", repository);
        command.Parameters.AddWithValue("watcher", watcher);
        command.Parameters.AddWithValue("holds", WatchHolds);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Removes this board's watch as it stops; one it cannot remove (the connection is gone) runs out by itself.</summary>
    private async Task UnwatchAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var command = new NpgsqlCommand("DELETE FROM mcpplan_watchers WHERE repository = @repository AND watcher = @watcher", connection) { CommandTimeout = 2 };
            command.Parameters.AddWithValue("repository", repository);
            command.Parameters.AddWithValue("watcher", watcher);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception error) when (error is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
        {
            // Expires after WatchHolds.
        }
    }
}
