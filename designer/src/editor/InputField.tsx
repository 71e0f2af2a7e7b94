import type { InputDescriptor, Integration } from '../api/types';
import { JsonEditor } from './JsonEditor';
import { RowsEditor } from './RowsEditor';
import { TemplateInput } from './TemplateInput';

export interface InputFieldProps {
  descriptor: InputDescriptor;
  value: unknown;
  onChange: (v: unknown) => void;
  variables: string[];
  integrations: Integration[] | null;
  integrationsError: string | null;
  onRefreshIntegrations?: () => void;
}

const asText = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** One property-panel control, chosen by the descriptor's uiHint (and type). */
export function InputField({ descriptor: d, value: stored, onChange, variables, integrations, integrationsError, onRefreshIntegrations }: InputFieldProps) {
  const testId = `input-${d.name}`;
  // A missing input runs with the descriptor's default, so show that (it is stored once edited).
  const hasDefault = d.defaultValue !== undefined && d.defaultValue !== null;
  const value = stored === undefined && hasDefault && ['dropdown', 'checkbox'].includes(d.uiHint) ? d.defaultValue : stored;
  const numberValue = stored === undefined && hasDefault && d.type === 'number' ? d.defaultValue : stored;
  const boolValue = stored === undefined && hasDefault && d.type === 'boolean' ? d.defaultValue : value;

  if (d.uiHint === 'checkbox' || d.type === 'boolean') {
    return (
      <label className="checkbox">
        <input type="checkbox" checked={boolValue === true || boolValue === 'true'} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
        <span>{d.displayName}</span>
      </label>
    );
  }

  switch (d.uiHint) {
    case 'dropdown':
      return (
        <select value={asText(value)} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} data-testid={testId}>
          {!d.required || value === undefined ? <option value="">— choose —</option> : null}
          {(d.options ?? []).map((o) => (
            <option key={o} value={o}>{o}</option>
          ))}
          {value !== undefined && value !== '' && !(d.options ?? []).includes(asText(value)) && (
            <option value={asText(value)}>{`${asText(value)} (not an option)`}</option>
          )}
        </select>
      );
    case 'integration': {
      const id = asText(value);
      const known = integrations?.some((i) => i.id === id);
      return (
        <>
          <div className="copy-row">
            <select value={id} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} data-testid={testId}>
              <option value="">{integrations === null ? 'Loading…' : '— select an OAuth integration —'}</option>
              {(integrations ?? []).map((i) => (
                <option key={i.id} value={i.id}>{i.name}</option>
              ))}
              {id && integrations !== null && !known && <option value={id}>{`${id} (not authorized)`}</option>}
            </select>
            {onRefreshIntegrations && (
              <button type="button" className="small" title="Reload authorized integrations" onClick={onRefreshIntegrations} data-testid={`${testId}-refresh`}>
                ↻
              </button>
            )}
          </div>
          {integrationsError && <div className="field-error">{integrationsError}</div>}
          {integrations !== null && integrations.length === 0 && (
            <div className="field-hint">No authorized integrations yet. Add and authorize one on the Integrations page.</div>
          )}
        </>
      );
    }
    case 'json':
      return <JsonEditor value={value} onChange={onChange} storeParsed={d.type !== 'string'} testId={testId} />;
    case 'keyvalue':
      return <RowsEditor kind="keyvalue" value={value} onChange={onChange} testId={testId} variables={variables} />;
    case 'mappings':
      return <RowsEditor kind="mappings" value={value} onChange={onChange} testId={testId} variables={variables} />;
    case 'code':
      return (
        <textarea className="mono" rows={6} spellCheck={false} value={asText(value)} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
      );
    default:
      if (d.type === 'number') {
        return (
          <input
            type="number"
            value={typeof numberValue === 'number' ? numberValue : asText(numberValue)}
            onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
            data-testid={testId}
          />
        );
      }
      return (
        <TemplateInput
          value={asText(value)}
          onChange={onChange}
          variables={variables}
          multiline={d.uiHint === 'multiline'}
          secret={d.secret}
          testId={testId}
          placeholder={hasDefault && typeof d.defaultValue !== 'object' ? String(d.defaultValue) : undefined}
        />
      );
  }
}
