using FlowRuntime.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FlowRuntime.Persistence.Configurations;

internal sealed class FlowEntityConfiguration : IEntityTypeConfiguration<FlowEntity>
{
    public void Configure(EntityTypeBuilder<FlowEntity> builder)
    {
        builder.ToTable("flows");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).HasMaxLength(100);
        builder.Property(f => f.Name).HasMaxLength(200);
        builder.Property(f => f.PublishedChannel).HasMaxLength(100);
        builder.HasIndex(f => f.PublishedChannel);
    }
}

internal sealed class FlowVersionEntityConfiguration : IEntityTypeConfiguration<FlowVersionEntity>
{
    public void Configure(EntityTypeBuilder<FlowVersionEntity> builder)
    {
        builder.ToTable("flow_versions");
        builder.HasKey(v => new { v.FlowId, v.Version });
        builder.Property(v => v.FlowId).HasMaxLength(100);
    }
}

internal sealed class FlowInstanceEntityConfiguration : IEntityTypeConfiguration<FlowInstanceEntity>
{
    public void Configure(EntityTypeBuilder<FlowInstanceEntity> builder)
    {
        builder.ToTable("flow_instances");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.FlowId).HasMaxLength(100);
        builder.Property(i => i.Channel).HasMaxLength(100);
        builder.Property(i => i.ConversationId).HasMaxLength(200);
        builder.Property(i => i.Status).HasMaxLength(20);
        builder.Property(i => i.Bookmark).HasMaxLength(100);
        builder.Property(i => i.Revision).IsConcurrencyToken();
        // The per-message lookup: the waiting instance of a conversation.
        builder.HasIndex(i => new { i.Channel, i.ConversationId, i.Status });
        builder.HasIndex(i => i.UpdatedAt);
    }
}

internal sealed class ChannelEntityConfiguration : IEntityTypeConfiguration<ChannelEntity>
{
    public void Configure(EntityTypeBuilder<ChannelEntity> builder)
    {
        builder.ToTable("channels");
        builder.HasKey(c => c.Name);
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.Property(c => c.SecretHash).HasMaxLength(100);
    }
}
