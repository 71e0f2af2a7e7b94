import type { ActivityDefinition, ConnectionDefinition } from '../api/types';
import { activityToNode, connectionToEdge, newActivityId, type ActivityNode, type FlowEdge } from './graph';

export interface ClipboardContent {
  kind: 'flowruntime/activities';
  activities: ActivityDefinition[];
  connections: ConnectionDefinition[];
}

/** Copies the selected nodes and the connections between them (not those leaving the set). */
export function copySelection(nodes: ActivityNode[], edges: FlowEdge[]): ClipboardContent | null {
  const selected = nodes.filter((n) => n.selected);
  if (selected.length === 0) return null;
  const ids = new Set(selected.map((n) => n.id));
  return {
    kind: 'flowruntime/activities',
    activities: selected.map((n) => ({
      ...structuredClone(n.data.extra ?? {}),
      id: n.id,
      type: n.data.activityType,
      inputs: structuredClone(n.data.inputs),
      position: { ...n.position },
    })),
    connections: edges
      .filter((e) => ids.has(e.source) && ids.has(e.target) && e.sourceHandle)
      .map((e) => ({ source: e.source, outcome: e.sourceHandle as string, target: e.target })),
  };
}

export function isClipboardContent(v: unknown): v is ClipboardContent {
  return (
    typeof v === 'object' &&
    v !== null &&
    (v as ClipboardContent).kind === 'flowruntime/activities' &&
    Array.isArray((v as ClipboardContent).activities)
  );
}

/**
 * Makes pasteable nodes/edges: fresh ids (unique against the canvas), positions shifted by
 * `offset`, internal connections re-pointed; pasted nodes come in selected.
 */
export function pasteClipboard(
  clip: ClipboardContent,
  existingIds: Iterable<string>,
  offset: { x: number; y: number } = { x: 40, y: 40 },
): { nodes: ActivityNode[]; edges: FlowEdge[] } {
  const taken = new Set(existingIds);
  const idMap = new Map<string, string>();
  const nodes: ActivityNode[] = [];
  for (const a of clip.activities) {
    const id = newActivityId(a.type, taken);
    taken.add(id);
    idMap.set(a.id, id);
    const node = activityToNode({
      ...a,
      id,
      inputs: structuredClone(a.inputs),
      position: { x: a.position.x + offset.x, y: a.position.y + offset.y },
    });
    node.selected = true;
    nodes.push(node);
  }
  const edges: FlowEdge[] = [];
  for (const c of clip.connections ?? []) {
    const source = idMap.get(c.source);
    const target = idMap.get(c.target);
    if (source && target) edges.push(connectionToEdge({ source, outcome: c.outcome, target }));
  }
  return { nodes, edges };
}
