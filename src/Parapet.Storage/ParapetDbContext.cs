using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Parapet.Storage.Entities;

namespace Parapet.Storage;

/// <summary>The schema, shared by the providers; each provider has a subclass that owns its migrations.</summary>
public abstract class ParapetDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<PropertiesEntity> Properties => Set<PropertiesEntity>();
    public DbSet<ClientEntity> Clients => Set<ClientEntity>();
    public DbSet<PushedRequestEntity> PushedRequests => Set<PushedRequestEntity>();
    public DbSet<AuthorizationCodeEntity> AuthorizationCodes => Set<AuthorizationCodeEntity>();
    public DbSet<RefreshTokenEntity> RefreshTokens => Set<RefreshTokenEntity>();
    public DbSet<RevokedGrantEntity> RevokedGrants => Set<RevokedGrantEntity>();
    public DbSet<UserEntity> Users => Set<UserEntity>();
    public DbSet<ConsentEntity> Consents => Set<ConsentEntity>();
    public DbSet<SigningKeyEntity> SigningKeys => Set<SigningKeyEntity>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<AuditEntity> Audit => Set<AuditEntity>();
    public DbSet<RegistrationTokenEntity> RegistrationTokens => Set<RegistrationTokenEntity>();
    public DbSet<UsedJtiEntity> UsedJtis => Set<UsedJtiEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PropertiesEntity>(e =>
        {
            e.ToTable("properties");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
        });
        modelBuilder.Entity<ClientEntity>(e =>
        {
            e.ToTable("clients");
            e.HasKey(x => x.ClientId);
        });
        modelBuilder.Entity<PushedRequestEntity>(e =>
        {
            e.ToTable("pushed_requests");
            e.HasKey(x => x.Key);
            e.HasIndex(x => x.ExpiresAt);
        });
        modelBuilder.Entity<AuthorizationCodeEntity>(e =>
        {
            e.ToTable("authorization_codes");
            e.HasKey(x => x.Key);
            e.HasIndex(x => x.ExpiresAt);
        });
        modelBuilder.Entity<RefreshTokenEntity>(e =>
        {
            e.ToTable("refresh_tokens");
            e.HasKey(x => x.Key);
            e.HasIndex(x => x.GrantId);
            e.HasIndex(x => x.ExpiresAt);
        });
        modelBuilder.Entity<RevokedGrantEntity>(e =>
        {
            e.ToTable("revoked_grants");
            e.HasKey(x => x.GrantId);
        });
        modelBuilder.Entity<UserEntity>(e =>
        {
            e.ToTable("users");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Username).IsUnique();
        });
        modelBuilder.Entity<ConsentEntity>(e =>
        {
            e.ToTable("consents");
            e.HasKey(x => new { x.UserId, x.ClientId });
        });
        modelBuilder.Entity<SigningKeyEntity>(e =>
        {
            e.ToTable("signing_keys");
            e.HasKey(x => x.KeyId);
            // Keys stored before rotation existed were the ones signing.
            e.Property(x => x.Status).HasDefaultValue("current");
        });
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        modelBuilder.Entity<AuditEntity>(e =>
        {
            e.ToTable("audit_log");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.At);
            e.HasIndex(x => x.Target);
        });
        modelBuilder.Entity<RegistrationTokenEntity>(e =>
        {
            e.ToTable("registration_tokens");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Hash).IsUnique();
        });
        modelBuilder.Entity<UsedJtiEntity>(e =>
        {
            e.ToTable("used_jtis");
            e.HasKey(x => x.Key);
            e.HasIndex(x => x.ExpiresAt);
        });
    }
}
