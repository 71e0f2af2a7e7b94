import type { FlowDefinition } from '../api/types';
import { DEFAULT_TRIGGER } from './graph';

/** Parses an imported JSON file: a bare definition or an API flow ({definition}). Throws a readable Error. */
export function parseImportedFlow(text: string, fallbackName = 'Imported flow'): FlowDefinition {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`The file is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('The file must contain a flow object.');
  let obj = raw as Record<string, unknown>;
  if (obj.definition && typeof obj.definition === 'object') obj = { name: obj.name, ...(obj.definition as Record<string, unknown>) };
  if (!Array.isArray(obj.activities)) throw new Error('The file has no "activities" array; is it a flow definition?');
  const activities = obj.activities as FlowDefinition['activities'];
  for (const a of activities) {
    if (!a || typeof a.id !== 'string' || typeof a.type !== 'string') throw new Error('Every activity needs a string "id" and "type".');
  }
  const def: FlowDefinition = {
    name: typeof obj.name === 'string' && obj.name.trim() ? obj.name : fallbackName,
    trigger: (obj.trigger as FlowDefinition['trigger']) ?? { ...DEFAULT_TRIGGER },
    start: typeof obj.start === 'string' ? obj.start : (activities[0]?.id ?? null),
    activities: activities.map((a) => ({ id: a.id, type: a.type, inputs: a.inputs ?? {}, position: a.position ?? { x: 0, y: 0 } })),
    connections: Array.isArray(obj.connections) ? (obj.connections as FlowDefinition['connections']) : [],
  };
  // The server assigns the id on create; an imported id would collide with the original flow.
  return def;
}

/** "Welcome" → "Welcome (copy)", "Welcome (copy)" → "Welcome (copy 2)", unique against existing names. */
export function copyName(name: string, existing: string[]): string {
  const taken = new Set(existing);
  const base = name.replace(/ \(copy(?: \d+)?\)$/, '');
  let candidate = `${base} (copy)`;
  for (let i = 2; taken.has(candidate); i++) candidate = `${base} (copy ${i})`;
  return candidate;
}

export function exportFileName(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'flow';
  return `${slug}.flow.json`;
}

export function emptyDefinition(name: string): FlowDefinition {
  return { name, trigger: { ...DEFAULT_TRIGGER }, start: null, activities: [], connections: [] };
}
