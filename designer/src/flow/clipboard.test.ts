import { describe, expect, it } from 'vitest';
import { definitionToGraph } from './graph';
import { copySelection, isClipboardContent, pasteClipboard } from './clipboard';

const graph = definitionToGraph({
  name: 'f',
  trigger: { type: 'conversation', channel: 'web' },
  start: 'a',
  activities: [
    { id: 'askQuestion1', type: 'AskQuestion', inputs: { variable: 'x' }, position: { x: 0, y: 0 } },
    { id: 'sendMessage1', type: 'SendMessage', inputs: { text: '{{x}}' }, position: { x: 200, y: 0 } },
    { id: 'sendMessage2', type: 'SendMessage', inputs: {}, position: { x: 400, y: 0 } },
  ],
  connections: [
    { source: 'askQuestion1', outcome: 'Done', target: 'sendMessage1' },
    { source: 'sendMessage1', outcome: 'Done', target: 'sendMessage2' },
  ],
});

describe('copy/paste', () => {
  it('copies nothing when nothing is selected', () => {
    expect(copySelection(graph.nodes, graph.edges)).toBeNull();
  });

  it('copies selected nodes and only the connections inside the selection', () => {
    const nodes = graph.nodes.map((n) => ({ ...n, selected: n.id !== 'sendMessage2' }));
    const clip = copySelection(nodes, graph.edges)!;
    expect(isClipboardContent(clip)).toBe(true);
    expect(clip.activities.map((a) => a.id)).toEqual(['askQuestion1', 'sendMessage1']);
    expect(clip.connections).toEqual([{ source: 'askQuestion1', outcome: 'Done', target: 'sendMessage1' }]);
  });

  it('pastes with fresh ids, offset positions and re-pointed connections', () => {
    const nodes = graph.nodes.map((n) => ({ ...n, selected: n.id !== 'sendMessage2' }));
    const clip = copySelection(nodes, graph.edges)!;
    const pasted = pasteClipboard(clip, graph.nodes.map((n) => n.id), { x: 50, y: 60 });
    expect(pasted.nodes.map((n) => n.id)).toEqual(['askQuestion2', 'sendMessage3']);
    expect(pasted.nodes[1].position).toEqual({ x: 250, y: 60 });
    expect(pasted.nodes.every((n) => n.selected)).toBe(true);
    expect(pasted.edges).toHaveLength(1);
    expect(pasted.edges[0]).toMatchObject({ source: 'askQuestion2', sourceHandle: 'Done', target: 'sendMessage3' });
  });

  it('deep-copies inputs so editing the paste does not change the original', () => {
    const nodes = graph.nodes.map((n) => ({ ...n, selected: n.id === 'askQuestion1' }));
    const clip = copySelection(nodes, graph.edges)!;
    const pasted = pasteClipboard(clip, []);
    pasted.nodes[0].data.inputs.variable = 'changed';
    expect(graph.nodes[0].data.inputs.variable).toBe('x');
  });

  it('rejects foreign clipboard content', () => {
    expect(isClipboardContent({ activities: [] })).toBe(false);
    expect(isClipboardContent('text')).toBe(false);
  });
});
