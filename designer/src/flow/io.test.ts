import { describe, expect, it } from 'vitest';
import { copyName, exportFileName, parseImportedFlow } from './io';

describe('parseImportedFlow', () => {
  it('accepts a bare definition and drops its id', () => {
    const def = parseImportedFlow(
      JSON.stringify({ id: 'old', name: 'Hello', start: 'a', activities: [{ id: 'a', type: 'SendMessage', inputs: { text: 'hi' }, position: { x: 1, y: 2 } }], connections: [] }),
    );
    expect(def.name).toBe('Hello');
    expect(def.id).toBeUndefined();
    expect(def.trigger).toEqual({ type: 'conversation', channel: 'web' });
    expect(def.activities[0].inputs).toEqual({ text: 'hi' });
  });

  it('accepts an exported API flow with a nested definition', () => {
    const def = parseImportedFlow(JSON.stringify({ id: 'x', name: 'Outer', definition: { activities: [{ id: 'a', type: 'T' }], connections: [] } }));
    expect(def.name).toBe('Outer');
    expect(def.start).toBe('a');
    expect(def.activities[0].position).toEqual({ x: 0, y: 0 });
  });

  it('explains what is wrong with bad files', () => {
    expect(() => parseImportedFlow('{nope')).toThrow(/not valid JSON/);
    expect(() => parseImportedFlow('[1]')).toThrow(/flow object/);
    expect(() => parseImportedFlow('{"name":"x"}')).toThrow(/activities/);
    expect(() => parseImportedFlow('{"activities":[{"type":"T"}]}')).toThrow(/id/);
  });
});

describe('copyName / exportFileName', () => {
  it('numbers copies uniquely', () => {
    expect(copyName('Welcome', [])).toBe('Welcome (copy)');
    expect(copyName('Welcome', ['Welcome (copy)'])).toBe('Welcome (copy 2)');
    expect(copyName('Welcome (copy)', ['Welcome (copy)', 'Welcome (copy 2)'])).toBe('Welcome (copy 3)');
  });

  it('slugs the export file name', () => {
    expect(exportFileName('Teamleader: last name!')).toBe('teamleader-last-name.flow.json');
    expect(exportFileName('***')).toBe('flow.flow.json');
  });
});
