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
/// </summary>
public sealed class PostgresChangeListener(NpgsqlDataSource dataSource, string repository, bool activity = false) : IPlanChangeSource
{
    /// <summary>Changes of a plan's text, folder or status: what a server's resources and their list are made of, and what its client is told of.</summary>
    public const string Channel = "mcpplan_changes";

    /// <summary>Every other change: claims (<c>mcpplan_claim_swap</c>), steps recorded, commit intents, acceptance files.</summary>
    public const string ActivityChannel = "mcpplan_activity";

    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(5);

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
                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                    if (pending > 0)
                    {
                        BenchTimings.Count("wake", pending);
                        pending = 0;
                        await onChange(cancellationToken);
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
}
