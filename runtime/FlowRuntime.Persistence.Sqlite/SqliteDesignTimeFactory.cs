using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FlowRuntime.Persistence.Sqlite;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<FlowRuntimeDbContext>
{
    public FlowRuntimeDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<FlowRuntimeDbContext>().UseSqlite("Data Source=design.db", SqliteProvider.Configure).Options);
}
