namespace FlowRuntime.Api.Tests.Flows;

internal static class SampleFlows
{
    public const string AskName = """
        {"id":"ask-name","name":"Ask name","trigger":{"type":"conversation","channel":"web"},"start":"ask",
         "activities":[
           {"id":"ask","type":"AskQuestion","inputs":{"text":"What is your name?","variable":"name"}},
           {"id":"hello","type":"SendMessage","inputs":{"text":"Hello {{name}} (contact {{contact.id}})"}}],
         "connections":[{"source":"ask","outcome":"Done","target":"hello"}]}
        """;
}
