import { describe, expect, it } from 'vitest';
import type { FlowDefinition } from '../api/types';
import { addConnection, defaultInputs, definitionExtras, definitionToGraph, findFreePosition, graphToDefinition, newActivityId } from './graph';

const def: FlowDefinition = {
  id: 'f1',
  name: 'Teamleader last name',
  trigger: { type: 'conversation', channel: 'web' },
  start: 'ask1',
  activities: [
    { id: 'ask1', type: 'AskQuestion', inputs: { question: 'Contact id?', variable: 'id' }, position: { x: 10, y: 20 } },
    { id: 'fetch1', type: 'FetchVariables', inputs: { url: 'https://api/{{id}}', mappings: { lastName: 'data.last_name' } }, position: { x: 300, y: 20 } },
    { id: 'send1', type: 'SendMessage', inputs: { text: 'Hi {{lastName}}' }, position: { x: 600, y: 20 } },
  ],
  connections: [
    { source: 'ask1', outcome: 'Done', target: 'fetch1' },
    { source: 'fetch1', outcome: 'Success', target: 'send1' },
  ],
};

describe('definitionToGraph / graphToDefinition', () => {
  it('round-trips a definition exactly', () => {
    const graph = definitionToGraph(def);
    const back = graphToDefinition(graph, { id: 'f1', name: def.name, trigger: def.trigger });
    expect(back).toEqual(def);
  });

  it('maps outcomes to source handles and targets to the single input handle', () => {
    const graph = definitionToGraph(def);
    expect(graph.edges).toHaveLength(2);
    expect(graph.edges[0]).toMatchObject({ source: 'ask1', sourceHandle: 'Done', target: 'fetch1', targetHandle: 'in' });
    expect(graph.nodes[1]).toMatchObject({ id: 'fetch1', type: 'activity', data: { activityType: 'FetchVariables' } });
    expect(graph.start).toBe('ask1');
  });

  it('keeps fields it does not know, on the flow and on activities', () => {
    const withExtras = {
      ...def,
      description: 'from a newer server',
      activities: def.activities.map((a, i) => (i === 0 ? { ...a, displayName: 'Ask for id' } : a)),
    } as FlowDefinition;
    const back = graphToDefinition(definitionToGraph(withExtras), { id: 'f1', name: def.name, trigger: def.trigger, extra: definitionExtras(withExtras) });
    expect(back).toEqual(withExtras);
    expect(definitionExtras(def)).toBeUndefined();
  });

  it('drops connections to activities that do not exist', () => {
    const graph = definitionToGraph({ ...def, connections: [...def.connections, { source: 'send1', outcome: 'Done', target: 'ghost' }] });
    expect(graph.edges.map((e) => e.target)).not.toContain('ghost');
  });

  it('falls back to the first activity when start is missing or dangling', () => {
    expect(definitionToGraph({ ...def, start: 'nope' }).start).toBe('ask1');
    const g = definitionToGraph(def);
    const out = graphToDefinition({ ...g, start: null }, { name: 'x' });
    expect(out.start).toBe('ask1');
    expect(out.id).toBeUndefined();
  });

  it('rounds positions and removes duplicate connections', () => {
    const g = definitionToGraph(def);
    g.nodes[0].position = { x: 10.6, y: 19.2 };
    g.edges.push({ ...g.edges[0], id: 'dup' });
    const out = graphToDefinition(g, { name: 'x' });
    expect(out.activities[0].position).toEqual({ x: 11, y: 19 });
    expect(out.connections).toHaveLength(2);
  });

  it('does not share input objects between graph and definition', () => {
    const g = definitionToGraph(def);
    g.nodes[0].data.inputs.question = 'changed';
    expect(def.activities[0].inputs.question).toBe('Contact id?');
  });

  it('gives an empty flow a null start', () => {
    expect(graphToDefinition({ nodes: [], edges: [], start: null }, { name: 'e' }).start).toBeNull();
  });
});

describe('newActivityId', () => {
  it('uses the camel-cased type and the first free number', () => {
    expect(newActivityId('AskQuestion', [])).toBe('askQuestion1');
    expect(newActivityId('AskQuestion', ['askQuestion1', 'askQuestion2'])).toBe('askQuestion3');
    expect(newActivityId('FlowRuntime.Plugins.Http.HttpRequest', [])).toBe('httpRequest1');
  });
});

describe('addConnection', () => {
  it('replaces an existing edge from the same outcome handle', () => {
    const g = definitionToGraph(def);
    const edges = addConnection(g.edges, { source: 'ask1', outcome: 'Done', target: 'send1' });
    const fromAsk = edges.filter((e) => e.source === 'ask1');
    expect(fromAsk).toHaveLength(1);
    expect(fromAsk[0].target).toBe('send1');
  });

  it('refuses self loops', () => {
    const g = definitionToGraph(def);
    expect(addConnection(g.edges, { source: 'ask1', outcome: 'Done', target: 'ask1' })).toBe(g.edges);
  });
});

describe('defaultInputs', () => {
  it('copies non-null defaults deeply', () => {
    const headers = { Accept: 'application/json' };
    const out = defaultInputs([
      { name: 'method', defaultValue: 'GET' },
      { name: 'headers', defaultValue: headers },
      { name: 'body', defaultValue: null },
    ]);
    expect(out).toEqual({ method: 'GET', headers: { Accept: 'application/json' } });
    expect(out.headers).not.toBe(headers);
  });
});

describe('findFreePosition', () => {
  it('keeps the desired spot when free and moves down past overlapping nodes', () => {
    expect(findFreePosition([], { x: 10, y: 10 })).toEqual({ x: 10, y: 10 });
    expect(findFreePosition([{ x: 0, y: 0 }], { x: 500, y: 0 })).toEqual({ x: 500, y: 0 });
    expect(findFreePosition([{ x: 0, y: 0 }, { x: 20, y: 120 }], { x: 10, y: 10 })).toEqual({ x: 10, y: 250 });
  });
});
