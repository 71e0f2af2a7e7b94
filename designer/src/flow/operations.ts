import type { ActivityDescriptor } from '../api/types';
import type { ClipboardContent } from './clipboard';
import { pasteClipboard } from './clipboard';
import { addConnection, defaultInputs, newActivityId, type ActivityNode, type FlowGraph } from './graph';

/**
 * The editor's graph edits as pure functions (graph in, graph out), so the rules — the first
 * step becomes the start, deleting the start moves it, one edge per outcome — are unit-tested.
 */

const deselectAll = (g: FlowGraph): FlowGraph => ({
  ...g,
  nodes: g.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)),
  edges: g.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
});

/** Adds a step with its descriptor's defaults, selected; the first step of a flow becomes the start. */
export function addActivity(
  g: FlowGraph,
  type: string,
  position: { x: number; y: number },
  descriptor?: ActivityDescriptor,
): { graph: FlowGraph; id: string } {
  const id = newActivityId(type, g.nodes.map((n) => n.id));
  const node: ActivityNode = {
    id,
    type: 'activity',
    position,
    selected: true,
    data: { activityType: type, inputs: descriptor ? defaultInputs(descriptor.inputs) : {} },
  };
  const base = deselectAll(g);
  return { graph: { ...base, nodes: [...base.nodes, node], start: g.start ?? id }, id };
}

/** Sets one input; `undefined` removes it (so the server's default applies). */
export function setInput(g: FlowGraph, nodeId: string, input: string, value: unknown): FlowGraph {
  return {
    ...g,
    nodes: g.nodes.map((n) => {
      if (n.id !== nodeId) return n;
      const inputs = { ...n.data.inputs };
      if (value === undefined) delete inputs[input];
      else inputs[input] = value;
      return { ...n, data: { ...n.data, inputs } };
    }),
  };
}

/** Points an outcome at `target`, or disconnects it when target is null. */
export function connectOutcome(g: FlowGraph, nodeId: string, outcome: string, target: string | null): FlowGraph {
  const edges = target
    ? addConnection(g.edges, { source: nodeId, outcome, target })
    : g.edges.filter((e) => !(e.source === nodeId && e.sourceHandle === outcome));
  return { ...g, edges };
}

/**
 * Removes nodes (with their edges) and, if asked, the selected edges. When the start goes, the
 * first remaining step becomes the start. Returns the same graph object when nothing changes.
 */
export function deleteNodes(g: FlowGraph, ids: Set<string>, alsoSelectedEdges: boolean): FlowGraph {
  const edges = g.edges.filter((e) => !ids.has(e.source) && !ids.has(e.target) && !(alsoSelectedEdges && e.selected));
  const nodes = g.nodes.filter((n) => !ids.has(n.id));
  if (nodes.length === g.nodes.length && edges.length === g.edges.length) return g;
  const start = g.start && !ids.has(g.start) ? g.start : (nodes[0]?.id ?? null);
  return { nodes, edges, start };
}

export function deleteSelection(g: FlowGraph): FlowGraph {
  return deleteNodes(g, new Set(g.nodes.filter((n) => n.selected).map((n) => n.id)), true);
}

/** Pastes copied steps offset from the originals; they arrive selected, everything else is deselected. */
export function paste(g: FlowGraph, clip: ClipboardContent, offset: { x: number; y: number }): FlowGraph {
  const pasted = pasteClipboard(clip, g.nodes.map((n) => n.id), offset);
  const base = deselectAll(g);
  return {
    nodes: [...base.nodes, ...pasted.nodes],
    edges: [...base.edges, ...pasted.edges],
    start: g.start ?? pasted.nodes[0]?.id ?? null,
  };
}

export function selectOnly(g: FlowGraph, id: string): FlowGraph {
  return { ...g, nodes: g.nodes.map((n) => ({ ...n, selected: n.id === id })) };
}

export function selectAll(g: FlowGraph): FlowGraph {
  return { ...g, nodes: g.nodes.map((n) => ({ ...n, selected: true })) };
}
