using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FlowRuntime.Persistence.SqlServer;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the host; it never connects.</summary>
internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<FlowRuntimeDbContext>
{
    public FlowRuntimeDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<FlowRuntimeDbContext>().UseSqlServer("Server=localhost;Database=flowruntime_design;Trusted_Connection=True", SqlServerProvider.Configure).Options);
}
