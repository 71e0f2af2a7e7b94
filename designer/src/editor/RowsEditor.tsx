import { useEffect, useState } from 'react';
import { TemplateInput } from './TemplateInput';

interface Row {
  key: string;
  value: string;
}

function toRows(value: unknown): Row[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, value: v == null ? '' : String(v) }));
}

function toRecord(rows: Row[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) if (r.key.trim()) out[r.key.trim()] = r.value;
  return out;
}

/**
 * Table editor for dictionary inputs: `keyvalue` (header → value, values may use templates) and
 * `mappings` (variable ← JSON path). Stored as a plain object; rows with empty keys stay local.
 */
export function RowsEditor({ value, onChange, testId, kind, variables }: {
  value: unknown;
  onChange: (v: Record<string, string>) => void;
  testId: string;
  kind: 'keyvalue' | 'mappings';
  variables: string[];
}) {
  const [rows, setRows] = useState<Row[]>(() => toRows(value));

  // Follow outside changes (undo, another node selected) without clobbering half-typed rows.
  useEffect(() => {
    if (JSON.stringify(toRecord(rows)) !== JSON.stringify(toRecord(toRows(value)))) setRows(toRows(value));
  }, [value]);

  const update = (next: Row[]) => {
    setRows(next);
    onChange(toRecord(next));
  };

  const keyLabel = kind === 'mappings' ? 'Variable' : 'Name';
  const valueLabel = kind === 'mappings' ? 'JSON path' : 'Value';

  return (
    <div className="rows-editor" data-testid={testId}>
      {rows.length > 0 && (
        <div className="rows-head">
          <span>{keyLabel}</span>
          <span />
          <span>{valueLabel}</span>
          <span />
        </div>
      )}
      {rows.map((r, i) => (
        <div className="rows-row" key={i}>
          <input
            value={r.key}
            placeholder={kind === 'mappings' ? 'lastName' : 'Header'}
            onChange={(e) => update(rows.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))}
            data-testid={`${testId}-key-${i}`}
          />
          <span className="rows-arrow">{kind === 'mappings' ? '←' : ':'}</span>
          {kind === 'mappings' ? (
            <input
              className="mono"
              value={r.value}
              placeholder="data.last_name"
              onChange={(e) => update(rows.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
              data-testid={`${testId}-value-${i}`}
            />
          ) : (
            <TemplateInput
              value={r.value}
              onChange={(v) => update(rows.map((x, j) => (j === i ? { ...x, value: v } : x)))}
              variables={variables}
              testId={`${testId}-value-${i}`}
            />
          )}
          <button className="icon-button" title="Remove row" onClick={() => update(rows.filter((_, j) => j !== i))} data-testid={`${testId}-remove-${i}`}>
            ×
          </button>
        </div>
      ))}
      <button className="small" onClick={() => setRows([...rows, { key: '', value: '' }])} data-testid={`${testId}-add`}>
        + Add {kind === 'mappings' ? 'mapping' : 'row'}
      </button>
    </div>
  );
}
