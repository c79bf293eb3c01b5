using System.Text;

namespace McpPlanServer.Cli.Commands;

/// <summary>A plain-text table with columns padded to their widest cell, for terminals and logs alike.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public void Add(params string[] cells) => rows.Add(cells);

    public override string ToString()
    {
        var widths = headers.Select((header, column) => rows.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(headers))
        {
            var line = string.Join("  ", row.Select((cell, column) => column == row.Length - 1 ? cell : cell.PadRight(widths[column])));
            text.Append(line.TrimEnd()).Append('\n');
        }

        return text.ToString();
    }
}
