using System.Collections.Concurrent;

namespace Parapet.Protocol.Tests.Security;

public sealed class SecureRandomTests
{
    [Fact]
    public void Draws_across_many_buffer_refills_never_repeat()
    {
        // 32-byte draws: 10,000 of them empty the 1 KB buffer over 300 times.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var bytes = new byte[32];
        for (var i = 0; i < 10_000; i++)
        {
            SecureRandom.Fill(bytes);
            Assert.True(seen.Add(Convert.ToHexString(bytes)), $"draw {i} repeated an earlier one");
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(24)]
    [InlineData(33)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(300)]
    public void Draws_of_sizes_that_do_not_divide_the_buffer_look_uniform(int size)
    {
        // A draw handed out from the part of the buffer already wiped, or past its end, would show as a flood of zero bytes.
        // Over 200,000 uniform bytes about 781 are zero (standard deviation ~28); the bounds are more than 8 deviations away.
        var stream = new byte[200_000 / size * size];
        for (var offset = 0; offset < stream.Length; offset += size)
        {
            SecureRandom.Fill(stream.AsSpan(offset, size));
        }
        var zeros = stream.Count(b => b == 0);
        Assert.InRange(zeros, 540, 1020);
        var distinct = stream.Chunk(size).Select(Convert.ToHexString).Distinct().Count();
        Assert.Equal(stream.Length / size, distinct);
    }

    [Fact]
    public void Threads_drawing_at_once_never_get_the_same_bytes()
    {
        var all = new ConcurrentBag<string>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            Span<byte> bytes = stackalloc byte[32];
            for (var i = 0; i < 2_000; i++)
            {
                SecureRandom.Fill(bytes);
                all.Add(Convert.ToHexString(bytes));
            }
        });
        Assert.Equal(16_000, all.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void An_empty_draw_is_allowed_and_changes_nothing()
    {
        SecureRandom.Fill([]);
        var bytes = new byte[32];
        SecureRandom.Fill(bytes);
        Assert.Contains(bytes, b => b != 0);
    }
}
