using FlowRuntime.Engine.Registry;

namespace FlowRuntime.Host.Apis;

public static class ActivitiesApi
{
    /// <summary>Step descriptors: the designer's palette and property forms are generated from these.</summary>
    public static RouteGroupBuilder MapActivitiesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/activities", (ActivityRegistry registry) => registry.All).WithTags("Activities");
        return api;
    }
}
