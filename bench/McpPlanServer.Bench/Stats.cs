using System.Globalization;

namespace McpPlanServer.Bench;

/// <summary>Percentiles of a sample of durations in milliseconds.</summary>
public sealed class Stats(IEnumerable<double> samples)
{
    private readonly double[] sorted = [.. samples.Order()];

    public int Count => sorted.Length;

    public double Median => Percentile(50);

    public double P99 => Percentile(99);

    public double Percentile(double p)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public static string Ms(double value) => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";
}
