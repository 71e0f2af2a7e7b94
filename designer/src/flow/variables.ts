import type { ActivityDescriptor, ActivityDefinition } from '../api/types';

/** Variables every conversation has, from the channel's contact. */
export const CONTACT_VARIABLES = ['contact.id', 'contact.name', 'contact.firstName', 'contact.lastName', 'contact.email', 'contact.phone'];

const VARIABLE_INPUT = /^(variable|variableName|saveAs|outputVariable|resultVariable)$/i;
const NAME_INPUT = /^name$/i;
const NAME_AS_VARIABLE_TYPES = /SetVariable/i;

/**
 * Variable names a template can reference in this flow: names written by Ask Question /
 * Set Variable (inputs `variable` / `name`), keys of mapping inputs (`mappings` ui hint or
 * an input called "mappings"), and contact.*. Sorted, unique.
 */
export function collectVariables(
  activities: Pick<ActivityDefinition, 'type' | 'inputs'>[],
  descriptors: ActivityDescriptor[] = [],
): string[] {
  const byType = new Map(descriptors.map((d) => [d.type, d]));
  const names = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v !== 'string') return;
    const t = v.trim().replace(/^\{\{\s*|\s*\}\}$/g, '');
    if (t && /^[A-Za-z_$][\w$.]*$/.test(t)) names.add(t);
  };
  for (const a of activities) {
    const desc = byType.get(a.type);
    for (const [key, value] of Object.entries(a.inputs ?? {})) {
      const hint = desc?.inputs.find((i) => i.name === key)?.uiHint;
      if (hint === 'mappings' || (!hint && /mappings?$/i.test(key))) {
        if (value && typeof value === 'object' && !Array.isArray(value)) Object.keys(value).forEach(add);
        continue;
      }
      if (VARIABLE_INPUT.test(key)) add(value);
      else if (NAME_INPUT.test(key) && NAME_AS_VARIABLE_TYPES.test(a.type)) add(value);
    }
  }
  const flowVars = [...names].sort((x, y) => x.localeCompare(y));
  return [...flowVars, ...CONTACT_VARIABLES.filter((c) => !names.has(c))];
}

/**
 * If the caret sits inside an unclosed `{{ prefix`, returns where the name starts and what has
 * been typed so far; otherwise null.
 */
export function findOpenTemplate(text: string, caret: number): { start: number; prefix: string } | null {
  const before = text.slice(0, caret);
  const open = before.lastIndexOf('{{');
  if (open < 0) return null;
  const between = before.slice(open + 2);
  if (between.includes('}}')) return null;
  const m = /^\s*([\w.$]*)$/.exec(between);
  if (!m) return null;
  return { start: caret - m[1].length, prefix: m[1] };
}

export function filterSuggestions(all: string[], prefix: string, limit = 8): string[] {
  const p = prefix.toLowerCase();
  const starts = all.filter((v) => v.toLowerCase().startsWith(p));
  const contains = all.filter((v) => !v.toLowerCase().startsWith(p) && v.toLowerCase().includes(p));
  return [...starts, ...contains].slice(0, limit);
}

/** Replaces the partial name at the caret with `name` and closes the template if needed. */
export function applySuggestion(text: string, caret: number, name: string): { text: string; caret: number } {
  const open = findOpenTemplate(text, caret);
  if (!open) {
    const insert = `{{${name}}}`;
    return { text: text.slice(0, caret) + insert + text.slice(caret), caret: caret + insert.length };
  }
  let after = text.slice(caret);
  // Swallow the rest of a name the caret was in the middle of.
  after = after.replace(/^[\w.$]*/, '');
  const closing = /^\s*\}\}/.test(after) ? '' : '}}';
  const replaced = text.slice(0, open.start) + name + closing;
  const closeMatch = /^\s*\}\}/.exec(after);
  const newCaret = replaced.length + (closeMatch ? closeMatch[0].length : 0);
  return { text: replaced + after, caret: newCaret };
}
