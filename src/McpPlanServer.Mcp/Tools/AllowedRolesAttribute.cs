using McpPlanServer.Core.Lifecycle;

namespace McpPlanServer.Mcp.Tools;

/// <summary>
/// The roles whose server may list and call a tool. Carried in the tool's metadata so that the list and call
/// filters can check every tool again, including one registered by mistake.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class AllowedRolesAttribute(params Actor[] roles) : Attribute
{
    public IReadOnlyList<Actor> Roles { get; } = roles;

    public bool Allows(Actor role) => Roles.Contains(role);
}
