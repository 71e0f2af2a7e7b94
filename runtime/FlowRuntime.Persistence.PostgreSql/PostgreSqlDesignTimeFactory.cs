using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FlowRuntime.Persistence.PostgreSql;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the host; it never connects.</summary>
internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<FlowRuntimeDbContext>
{
    public FlowRuntimeDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<FlowRuntimeDbContext>().UseNpgsql("Host=localhost;Database=flowruntime_design", PostgreSqlProvider.Configure).Options);
}
