namespace Parapet.Protocol.Properties;

/// <summary>The current property snapshot. Read it once per request and pass it down; never copy a property into a field.</summary>
public interface IPropertySource
{
    PropertySnapshot Current { get; }
}

/// <summary>One stored revision of the properties.</summary>
public sealed record PropertySnapshot(ServerProperties Properties, long Revision);
