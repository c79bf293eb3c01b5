using System.Collections.Concurrent;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpPlanServer.EndToEnd.Support;

/// <summary>A real <c>mcpplan serve</c> process for one role, driven by the SDK's <see cref="McpClient"/> over stdio.</summary>
public sealed class ServerSession : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> notifications = new();

    private ServerSession(McpClient client, string role)
    {
        Client = client;
        Role = role;
    }

    public McpClient Client { get; private set; }

    public string Role { get; }

    public IReadOnlyCollection<string> Notifications => notifications;

    /// <summary>Starts the server; <paramref name="environment"/> adds variables (such as MCPPLAN_FAULT) to its environment.</summary>
    public static async Task<ServerSession> StartAsync(
        TestRepository repository,
        string role,
        McpClientOptions? options = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = $"mcpplan-{role}",
            Command = repository.Executable,
            Arguments = ["serve", "--role", role, "--repo", repository.Root],
            WorkingDirectory = repository.Root,
            EnvironmentVariables = environment?.ToDictionary(pair => pair.Key, pair => pair.Value),
        });
        return await ConnectAsync(transport, role, options);
    }

    /// <summary>Connects over Streamable HTTP to a running <c>mcpplan serve --http</c> with the token the person issued.</summary>
    public static async Task<ServerSession> StartHttpAsync(Uri endpoint, string token, string role, McpClientOptions? options = null)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Name = $"mcpplan-http-{role}",
            Endpoint = endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        });
        return await ConnectAsync(transport, role, options);
    }

    private static async Task<ServerSession> ConnectAsync(IClientTransport transport, string role, McpClientOptions? options)
    {
        var session = new ServerSession(null!, role);
        options ??= new McpClientOptions();
        options.Handlers.NotificationHandlers =
        [
            new(NotificationMethods.ResourceListChangedNotification, (notification, _) =>
            {
                session.notifications.Enqueue(notification.Method);
                return ValueTask.CompletedTask;
            }),
        ];
        session.Client = await McpClient.CreateAsync(transport, options);
        return session;
    }

    public async Task<IReadOnlyList<string>> ToolNamesAsync() =>
        (await Client.ListToolsAsync()).Select(tool => tool.Name).Order(StringComparer.Ordinal).ToList();

    /// <summary>Calls a tool and returns its result, whether it succeeded or was refused with isError.</summary>
    public async Task<CallToolResult> CallAsync(string tool, object? arguments = null)
    {
        var values = arguments is null
            ? new Dictionary<string, object?>()
            : JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))!;
        return await Client.CallToolAsync(tool, values);
    }

    /// <summary>Calls a tool that must succeed and returns its structured result.</summary>
    public async Task<JsonElement> CallOkAsync(string tool, object? arguments = null)
    {
        var result = await CallAsync(tool, arguments);
        if (result.IsError == true)
        {
            throw new Xunit.Sdk.XunitException($"{Role}: {tool} was refused: {Text(result)}");
        }

        return result.StructuredContent is { } structured
            ? structured
            : throw new Xunit.Sdk.XunitException($"{tool} returned no structured content");
    }

    public static string Text(CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(block => block.Text));

    public async ValueTask DisposeAsync() => await Client.DisposeAsync();
}
