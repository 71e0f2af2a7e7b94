import { describe, expect, it } from 'vitest';
import type { ActivityDescriptor } from '../api/types';
import { copySelection } from './clipboard';
import { definitionToGraph, graphToDefinition, type FlowGraph } from './graph';
import { addActivity, connectOutcome, deleteNodes, deleteSelection, paste, selectAll, selectOnly, setInput } from './operations';

const http: ActivityDescriptor = {
  type: 'HttpRequest',
  displayName: 'HTTP Request',
  category: 'HTTP',
  outcomes: ['Success', 'Failure'],
  inputs: [{ name: 'method', displayName: 'Method', type: 'string', uiHint: 'dropdown', options: ['GET', 'POST'], defaultValue: 'GET', required: true, secret: false }],
};

const empty: FlowGraph = { nodes: [], edges: [], start: null };

function threeSteps(): FlowGraph {
  return definitionToGraph({
    name: 'f',
    trigger: { type: 'conversation', channel: 'web' },
    start: 'a',
    activities: [
      { id: 'a', type: 'AskQuestion', inputs: { variable: 'x' }, position: { x: 0, y: 0 } },
      { id: 'b', type: 'SendMessage', inputs: {}, position: { x: 300, y: 0 } },
      { id: 'c', type: 'SendMessage', inputs: {}, position: { x: 600, y: 0 } },
    ],
    connections: [
      { source: 'a', outcome: 'Done', target: 'b' },
      { source: 'b', outcome: 'Done', target: 'c' },
    ],
  });
}

describe('addActivity', () => {
  it('makes the first step the start and keeps the start afterwards', () => {
    const first = addActivity(empty, 'AskQuestion', { x: 1, y: 2 });
    expect(first.id).toBe('askQuestion1');
    expect(first.graph.start).toBe('askQuestion1');
    const second = addActivity(first.graph, 'SendMessage', { x: 5, y: 5 });
    expect(second.graph.start).toBe('askQuestion1');
    expect(second.graph.nodes.map((n) => n.selected)).toEqual([false, true]);
  });

  it('fills inputs from descriptor defaults', () => {
    const { graph } = addActivity(empty, 'HttpRequest', { x: 0, y: 0 }, http);
    expect(graph.nodes[0].data.inputs).toEqual({ method: 'GET' });
  });
});

describe('setInput', () => {
  it('sets and removes inputs without touching other nodes', () => {
    const g = threeSteps();
    const set = setInput(g, 'b', 'text', 'Hi {{x}}');
    expect(set.nodes[1].data.inputs).toEqual({ text: 'Hi {{x}}' });
    expect(set.nodes[0]).toBe(g.nodes[0]);
    expect(g.nodes[1].data.inputs).toEqual({});
    expect(setInput(set, 'b', 'text', undefined).nodes[1].data.inputs).toEqual({});
  });
});

describe('connectOutcome', () => {
  it('connects, re-points and disconnects an outcome', () => {
    let g = connectOutcome(threeSteps(), 'a', 'Done', 'c');
    expect(graphToDefinition(g, { name: 'f' }).connections).toContainEqual({ source: 'a', outcome: 'Done', target: 'c' });
    expect(g.edges.filter((e) => e.source === 'a')).toHaveLength(1);
    g = connectOutcome(g, 'a', 'Done', null);
    expect(g.edges.some((e) => e.source === 'a')).toBe(false);
  });
});

describe('deleteNodes / deleteSelection', () => {
  it('removes a node with its edges and moves the start to the first remaining step', () => {
    const g = deleteNodes(threeSteps(), new Set(['a']), false);
    expect(g.nodes.map((n) => n.id)).toEqual(['b', 'c']);
    expect(g.edges.map((e) => e.id)).toEqual(['b:Done->c']);
    expect(g.start).toBe('b');
  });

  it('deletes selected edges only when asked and returns the same graph when nothing changes', () => {
    const g = threeSteps();
    g.edges[0] = { ...g.edges[0], selected: true };
    expect(deleteNodes(g, new Set(), false)).toBe(g);
    const after = deleteSelection(g);
    expect(after.edges.map((e) => e.id)).toEqual(['b:Done->c']);
    expect(after.nodes).toHaveLength(3);
    expect(deleteSelection(threeSteps()).nodes).toHaveLength(3);
  });

  it('clears the start when the last step goes', () => {
    expect(deleteSelection(selectAll(threeSteps()))).toEqual({ nodes: [], edges: [], start: null });
  });
});

describe('paste', () => {
  it('adds selected copies, deselects the rest and gives an empty flow a start', () => {
    const src = selectOnly(threeSteps(), 'a');
    const clip = copySelection(src.nodes, src.edges)!;
    const into = paste(threeSteps(), clip, { x: 40, y: 40 });
    expect(into.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c', 'askQuestion1']);
    expect(into.nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(['askQuestion1']);
    expect(into.start).toBe('a');
    expect(paste(empty, clip, { x: 0, y: 0 }).start).toBe('askQuestion1');
  });
});
