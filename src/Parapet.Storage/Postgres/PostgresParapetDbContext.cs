using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Parapet.Storage.Postgres;

/// <summary>The shared store for several nodes (DESIGN §5).</summary>
public sealed class PostgresParapetDbContext(DbContextOptions<PostgresParapetDbContext> options) : ParapetDbContext(options);

/// <summary>Lets <c>dotnet ef migrations add</c> build the PostgreSQL model without a database.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresParapetDbContext>
{
    public PostgresParapetDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresParapetDbContext>().UseNpgsql("Host=localhost;Database=parapet_design").Options);
}
