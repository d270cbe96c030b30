using Parapet.Hosting;

namespace Parapet.Server.Tests.Startup;

/// <summary>Which runtime settings <c>parapet serve</c> adds before it starts over: never one the operator set.</summary>
public sealed class RuntimeTuningTests
{
    [Fact]
    public void An_untuned_environment_gets_every_setting_and_the_marker()
    {
        var additions = RuntimeTuning.Additions(_ => null);

        Assert.Equal("0x400000", additions["DOTNET_GCgen0size"]);
        Assert.Equal("0x100000", additions["DOTNET_GCRegionSize"]);
        Assert.Equal("2", additions["MALLOC_ARENA_MAX"]);
        Assert.Equal("1", additions[RuntimeTuning.Marker]);
        Assert.Equal(RuntimeTuning.Settings.Count + 1, additions.Count);
    }

    [Fact]
    public void A_value_the_operator_set_is_kept()
    {
        var operatorSet = new Dictionary<string, string> { ["DOTNET_GCgen0size"] = "0x800000" };

        var additions = RuntimeTuning.Additions(name => operatorSet.GetValueOrDefault(name));

        Assert.False(additions.ContainsKey("DOTNET_GCgen0size"));
        Assert.True(additions.ContainsKey("MALLOC_ARENA_MAX"));
    }

    [Fact]
    public void Nothing_is_added_when_every_setting_is_already_there()
    {
        var all = RuntimeTuning.Settings.ToDictionary(s => s.Key, s => "operator");

        Assert.Empty(RuntimeTuning.Additions(name => all.GetValueOrDefault(name)));
    }

    [Theory]
    [InlineData(RuntimeTuning.Marker, "1")]
    [InlineData(RuntimeTuning.OptOut, "off")]
    [InlineData(RuntimeTuning.OptOut, "OFF")]
    public void A_started_over_or_opted_out_process_does_not_start_over_again(string name, string value)
    {
        Assert.Empty(RuntimeTuning.Additions(n => n == name ? value : null));
    }

    [Fact]
    public void Any_other_opt_out_value_still_tunes()
    {
        Assert.NotEmpty(RuntimeTuning.Additions(n => n == RuntimeTuning.OptOut ? "on" : null));
    }
}
