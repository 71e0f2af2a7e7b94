using FlowRuntime.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FlowRuntime.Persistence.Configurations;

internal sealed class IntegrationEntityConfiguration : IEntityTypeConfiguration<IntegrationEntity>
{
    public void Configure(EntityTypeBuilder<IntegrationEntity> builder)
    {
        builder.ToTable("integrations");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).HasMaxLength(64);
        builder.Property(i => i.Name).HasMaxLength(200);
        builder.Property(i => i.GrantType).HasMaxLength(40);
        builder.Property(i => i.Status).HasMaxLength(40);
        builder.Property(i => i.Health).HasMaxLength(20);
        builder.Property(i => i.LastError).HasMaxLength(2000);
        builder.HasIndex(i => i.Status);
    }
}

internal sealed class IntegrationConnectionEntityConfiguration : IEntityTypeConfiguration<IntegrationConnectionEntity>
{
    public void Configure(EntityTypeBuilder<IntegrationConnectionEntity> builder)
    {
        builder.ToTable("integration_connections");
        builder.HasKey(c => c.IntegrationId);
        builder.Property(c => c.IntegrationId).HasMaxLength(64);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasOne<IntegrationEntity>().WithOne().HasForeignKey<IntegrationConnectionEntity>(c => c.IntegrationId).OnDelete(DeleteBehavior.Cascade);
        // The background refresh looks for tokens close to expiry.
        builder.HasIndex(c => c.ExpiresAt);
    }
}

internal sealed class OAuthStateEntityConfiguration : IEntityTypeConfiguration<OAuthStateEntity>
{
    public void Configure(EntityTypeBuilder<OAuthStateEntity> builder)
    {
        builder.ToTable("oauth_states");
        builder.HasKey(s => s.StateHash);
        builder.Property(s => s.StateHash).HasMaxLength(64);
        builder.Property(s => s.IntegrationId).HasMaxLength(64);
        builder.Property(s => s.RedirectUri).HasMaxLength(2000);
        builder.HasOne<IntegrationEntity>().WithMany().HasForeignKey(s => s.IntegrationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => s.ExpiresAt);
    }
}

internal sealed class IntegrationLogEntityConfiguration : IEntityTypeConfiguration<IntegrationLogEntity>
{
    public void Configure(EntityTypeBuilder<IntegrationLogEntity> builder)
    {
        builder.ToTable("integration_logs");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.IntegrationId).HasMaxLength(64);
        builder.Property(l => l.Kind).HasMaxLength(40);
        builder.Property(l => l.Error).HasMaxLength(2000);
        builder.Property(l => l.Message).HasMaxLength(2000);
        builder.HasOne<IntegrationEntity>().WithMany().HasForeignKey(l => l.IntegrationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(l => new { l.IntegrationId, l.At });
    }
}
