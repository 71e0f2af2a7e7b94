import { useEffect, useState } from 'react';

export function validateJson(text: string): string | null {
  if (text.trim() === '') return null;
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

const show = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v, null, 2));

/**
 * JSON textarea. For `json`-typed inputs the parsed value is stored and invalid text is held
 * back; for string inputs (e.g. a templated body) the text is stored and invalid JSON only warns.
 */
export function JsonEditor({ value, onChange, storeParsed, testId }: {
  value: unknown;
  onChange: (v: unknown) => void;
  storeParsed: boolean;
  testId: string;
}) {
  const [text, setText] = useState(() => show(value));
  const error = validateJson(text);

  useEffect(() => {
    // Resync on outside changes (undo, other node) unless it is the value we produced.
    const current = storeParsed ? (validateJson(text) === null && text.trim() ? JSON.parse(text) : undefined) : text;
    if (JSON.stringify(current ?? null) !== JSON.stringify(value ?? null)) setText(show(value));
  }, [value]);

  return (
    <div className="json-editor">
      <textarea
        className={`mono ${error ? 'invalid' : ''}`}
        rows={6}
        spellCheck={false}
        value={text}
        data-testid={testId}
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          if (!storeParsed) onChange(t);
          else if (t.trim() === '') onChange(undefined);
          else if (validateJson(t) === null) onChange(JSON.parse(t));
        }}
      />
      {error && (
        <div className={storeParsed ? 'field-error' : 'field-warning'} data-testid={`${testId}-error`}>
          {storeParsed ? 'Invalid JSON (not saved): ' : 'Not valid JSON yet: '}
          {error}
        </div>
      )}
    </div>
  );
}
