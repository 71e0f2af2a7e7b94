using FlowRuntime.Persistence.Entities;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace FlowRuntime.Persistence;

/// <summary>The one database of a FlowRuntime deployment (SQLite embedded, PostgreSQL or SQL Server shared).</summary>
public sealed class FlowRuntimeDbContext(DbContextOptions<FlowRuntimeDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<FlowEntity> Flows => Set<FlowEntity>();

    public DbSet<FlowVersionEntity> FlowVersions => Set<FlowVersionEntity>();

    public DbSet<FlowInstanceEntity> FlowInstances => Set<FlowInstanceEntity>();

    public DbSet<ChannelEntity> Channels => Set<ChannelEntity>();

    public DbSet<IntegrationEntity> Integrations => Set<IntegrationEntity>();

    public DbSet<IntegrationConnectionEntity> IntegrationConnections => Set<IntegrationConnectionEntity>();

    public DbSet<OAuthStateEntity> OAuthStates => Set<OAuthStateEntity>();

    public DbSet<IntegrationLogEntity> IntegrationLogs => Set<IntegrationLogEntity>();

    /// <summary>Data Protection keys live in the database so every host can decrypt every stored token.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(FlowRuntimeDbContext).Assembly);

    /// <summary>All times are UTC; SQLite forgets the kind, so it is restored on read.</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();

    private sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
