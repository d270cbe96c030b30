using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Parapet.Storage.Sqlite;

/// <summary>The embedded default: one SQLite file in the data directory (DESIGN §5).</summary>
public sealed class SqliteParapetDbContext(DbContextOptions<SqliteParapetDbContext> options) : ParapetDbContext(options);

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite model without a running host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteParapetDbContext>
{
    public SqliteParapetDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteParapetDbContext>().UseSqlite("Data Source=design.db").Options);
}
