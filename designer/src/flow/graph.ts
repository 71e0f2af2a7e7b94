import { MarkerType, type Edge, type Node } from '@xyflow/react';
import type { ActivityDefinition, ConnectionDefinition, FlowDefinition } from '../api/types';

/** Data carried by a canvas node: only what is persisted in the definition. */
export type ActivityNodeData = {
  activityType: string;
  inputs: Record<string, unknown>;
  /** Activity fields this designer does not know (added by a newer server); kept on save. */
  extra?: Record<string, unknown>;
};

export type ActivityNode = Node<ActivityNodeData, 'activity'>;
export type FlowEdge = Edge;

export interface FlowGraph {
  nodes: ActivityNode[];
  edges: FlowEdge[];
  start: string | null;
}

export const DEFAULT_TRIGGER = { type: 'conversation', channel: 'web' } as const;

export function edgeId(c: ConnectionDefinition): string {
  return `${c.source}:${c.outcome}->${c.target}`;
}

export function connectionToEdge(c: ConnectionDefinition): FlowEdge {
  return {
    id: edgeId(c),
    source: c.source,
    sourceHandle: c.outcome,
    target: c.target,
    targetHandle: 'in',
    markerEnd: { type: MarkerType.ArrowClosed },
  };
}

const KNOWN_ACTIVITY_KEYS = new Set(['id', 'type', 'inputs', 'position']);
const KNOWN_FLOW_KEYS = new Set(['id', 'name', 'trigger', 'start', 'activities', 'connections']);

function unknownKeys(obj: object, known: Set<string>): Record<string, unknown> | undefined {
  const extra = Object.fromEntries(Object.entries(obj).filter(([k]) => !known.has(k)));
  return Object.keys(extra).length > 0 ? extra : undefined;
}

/** Top-level definition fields this designer does not edit; pass them back on save. */
export function definitionExtras(def: FlowDefinition): Record<string, unknown> | undefined {
  return unknownKeys(def, KNOWN_FLOW_KEYS);
}

export function activityToNode(a: ActivityDefinition): ActivityNode {
  const extra = unknownKeys(a, KNOWN_ACTIVITY_KEYS);
  return {
    id: a.id,
    type: 'activity',
    position: { x: a.position?.x ?? 0, y: a.position?.y ?? 0 },
    data: { activityType: a.type, inputs: { ...(a.inputs ?? {}) }, ...(extra ? { extra } : {}) },
  };
}

/** Definition → canvas graph. Connections pointing at unknown activities are dropped. */
export function definitionToGraph(def: FlowDefinition): FlowGraph {
  const activities = def.activities ?? [];
  const ids = new Set(activities.map((a) => a.id));
  const nodes = activities.map(activityToNode);
  const edges = (def.connections ?? [])
    .filter((c) => ids.has(c.source) && ids.has(c.target))
    .map(connectionToEdge);
  const start = def.start && ids.has(def.start) ? def.start : (activities[0]?.id ?? null);
  return { nodes, edges, start };
}

/** Canvas graph → definition, in the exact shape the API stores. */
export function graphToDefinition(
  graph: FlowGraph,
  meta: { id?: string; name: string; trigger?: FlowDefinition['trigger']; extra?: Record<string, unknown> },
): FlowDefinition {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const activities: ActivityDefinition[] = graph.nodes.map((n) => ({
    ...(n.data.extra ?? {}),
    id: n.id,
    type: n.data.activityType,
    inputs: { ...n.data.inputs },
    position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
  }));
  const seen = new Set<string>();
  const connections: ConnectionDefinition[] = [];
  for (const e of graph.edges) {
    if (!ids.has(e.source) || !ids.has(e.target) || !e.sourceHandle) continue;
    const c = { source: e.source, outcome: e.sourceHandle, target: e.target };
    const key = edgeId(c);
    if (seen.has(key)) continue;
    seen.add(key);
    connections.push(c);
  }
  const start = graph.start && ids.has(graph.start) ? graph.start : (activities[0]?.id ?? null);
  const def: FlowDefinition = {
    ...(meta.extra ?? {}),
    name: meta.name,
    trigger: meta.trigger ?? { ...DEFAULT_TRIGGER },
    start,
    activities,
    connections,
  };
  return meta.id ? { ...def, id: meta.id } : def;
}

/** "AskQuestion" → "askQuestion1", "askQuestion2", … unique among existing ids. */
export function newActivityId(type: string, existing: Iterable<string>): string {
  const taken = new Set(existing);
  const simple = type.split(/[.:]/).pop() ?? type;
  const base = (simple.charAt(0).toLowerCase() + simple.slice(1)).replace(/[^A-Za-z0-9_]/g, '') || 'activity';
  for (let i = 1; ; i++) {
    const id = `${base}${i}`;
    if (!taken.has(id)) return id;
  }
}

/**
 * A source handle carries one outcome and may feed only one target: connecting it again
 * replaces the old edge. Self-loops are refused.
 */
export function addConnection(edges: FlowEdge[], c: ConnectionDefinition): FlowEdge[] {
  if (c.source === c.target) return edges;
  const kept = edges.filter((e) => !(e.source === c.source && e.sourceHandle === c.outcome));
  return [...kept, connectionToEdge(c)];
}

/** Default input values from descriptors, so a fresh node shows sensible values. */
export function defaultInputs(inputs: { name: string; defaultValue: unknown }[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const i of inputs) {
    if (i.defaultValue !== undefined && i.defaultValue !== null) out[i.name] = structuredClone(i.defaultValue);
  }
  return out;
}

/**
 * A spot near `desired` that does not overlap existing nodes (approximated as w×h boxes):
 * moves down a row at a time, so steps added by keyboard or double-click stay readable.
 */
export function findFreePosition(
  taken: { x: number; y: number }[],
  desired: { x: number; y: number },
  size: { w: number; h: number } = { w: 240, h: 120 },
): { x: number; y: number } {
  const overlaps = (p: { x: number; y: number }) =>
    taken.some((t) => Math.abs(t.x - p.x) < size.w && Math.abs(t.y - p.y) < size.h);
  for (let i = 0; i < 50; i++) {
    const p = { x: desired.x, y: desired.y + i * size.h };
    if (!overlaps(p)) return p;
  }
  return desired;
}
