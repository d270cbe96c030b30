using Microsoft.EntityFrameworkCore;

namespace Parapet.Storage;

/// <summary>Hands out pooled contexts of whichever provider is configured, as the base type the stores use.</summary>
public interface IContextFactory
{
    ParapetDbContext Create();
}

internal sealed class ContextFactory<TContext>(IDbContextFactory<TContext> inner) : IContextFactory
    where TContext : ParapetDbContext
{
    public ParapetDbContext Create() => inner.CreateDbContext();
}
