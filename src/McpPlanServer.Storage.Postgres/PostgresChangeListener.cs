using McpPlanServer.Core.Diagnostics;
using Npgsql;

namespace McpPlanServer.Storage.Postgres;

/// <summary>
/// Changes of every machine, pushed by the database: each committed change sends <c>pg_notify('mcpplan_changes',
/// repository)</c> (see <see cref="PostgresLockScope"/>) and this listener, holding one connection in <c>LISTEN</c>, wakes
/// on it — no polling. A dropped connection is re-opened with a growing pause, and a change is reported after each
/// reconnect, since notifications sent while it was away are lost. A claim taken or released is sent on a channel of its
/// own (<see cref="ClaimsChannel"/>), heard only with <paramref name="claims"/> (the board): 50 servers woken by every
/// claim of every machine made each claim wait for that herd on a small machine, and a server's resources (the plans'
/// markdown by folder) do not change with a claim.
/// </summary>
public sealed class PostgresChangeListener(NpgsqlDataSource dataSource, string repository, bool claims = false) : IPlanChangeSource
{
    /// <summary>Changes of plans: texts, folders, records, reviews (every change made under the repository's lock).</summary>
    public const string Channel = "mcpplan_changes";

    /// <summary>Claims taken, renewed and released one at a time (<c>mcpplan_claim_swap</c>).</summary>
    public const string ClaimsChannel = "mcpplan_claims";

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
                await using (var listen = new NpgsqlCommand(claims ? $"LISTEN {Channel}; LISTEN {ClaimsChannel}" : $"LISTEN {Channel}", connection))
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
