import type { ActivityDescriptor, Integration, ProblemFieldError } from '../api/types';
import type { ActivityNode, FlowEdge } from '../flow/graph';
import { InputField } from './InputField';

export function PropertyPanel({
  node, descriptor, edges, nodes, isStart, errors, variables, integrations, integrationsError, onRefreshIntegrations, readOnly,
  onInputChange, onSetStart, onConnect, onDelete,
}: {
  node: ActivityNode;
  descriptor: ActivityDescriptor | undefined;
  edges: FlowEdge[];
  nodes: ActivityNode[];
  isStart: boolean;
  errors: ProblemFieldError[];
  variables: string[];
  integrations: Integration[] | null;
  integrationsError: string | null;
  onRefreshIntegrations: () => void;
  readOnly: boolean;
  onInputChange: (name: string, value: unknown) => void;
  onSetStart: () => void;
  onConnect: (outcome: string, target: string | null) => void;
  onDelete: () => void;
}) {
  const outcomes = descriptor?.outcomes ?? [...new Set(edges.filter((e) => e.source === node.id).map((e) => e.sourceHandle ?? ''))];
  const flowErrors = errors.filter((e) => !e.input);
  const inputErrors = (name: string) => errors.filter((e) => e.input && e.input.toLowerCase() === name.toLowerCase());

  return (
    <div className="property-panel" data-testid="property-panel">
      <div className="property-head">
        <div>
          <h2>{descriptor?.displayName ?? node.data.activityType}</h2>
          <div className="muted small" data-testid="selected-activity-id">{node.id}</div>
        </div>
        {isStart ? (
          <span className="badge badge-start">▶ Start</span>
        ) : (
          <button className="small" onClick={onSetStart} disabled={readOnly} data-testid="set-start">Set as start</button>
        )}
      </div>
      {descriptor?.description && <p className="muted small">{descriptor.description}</p>}
      {flowErrors.length > 0 && (
        <ul className="field-error-list">
          {flowErrors.map((e, i) => <li key={i}>{e.message}</li>)}
        </ul>
      )}
      <fieldset disabled={readOnly} className="property-fields">
        {(descriptor?.inputs ?? []).map((d) => (
          <div className={`field ${inputErrors(d.name).length ? 'has-error' : ''}`} key={d.name}>
            {d.uiHint !== 'checkbox' && d.type !== 'boolean' && (
              <span className="field-label">
                {d.displayName}
                {d.required && <span className="required" title="Required"> *</span>}
              </span>
            )}
            <InputField
              descriptor={d}
              value={node.data.inputs[d.name]}
              onChange={(v) => onInputChange(d.name, v)}
              variables={variables}
              integrations={integrations}
              integrationsError={integrationsError}
              onRefreshIntegrations={onRefreshIntegrations}
            />
            {d.description && <span className="field-hint">{d.description}</span>}
            {inputErrors(d.name).map((e, i) => (
              <span className="field-error" key={i}>{e.message}</span>
            ))}
          </div>
        ))}
        {!descriptor && <p className="field-error">This activity type is not installed on the server; its inputs cannot be edited.</p>}
        {outcomes.length > 0 && (
          <div className="field">
            <span className="field-label">Connections</span>
            {outcomes.map((o) => {
              const current = edges.find((e) => e.source === node.id && e.sourceHandle === o)?.target ?? '';
              return (
                <label className="connection-row" key={o}>
                  <span className="outcome-pill">{o}</span>
                  <span>→</span>
                  <select value={current} onChange={(e) => onConnect(o, e.target.value || null)} data-testid={`connect-${o}`}>
                    <option value="">(not connected)</option>
                    {nodes.filter((n) => n.id !== node.id).map((n) => (
                      <option key={n.id} value={n.id}>{n.id}</option>
                    ))}
                  </select>
                </label>
              );
            })}
          </div>
        )}
      </fieldset>
      <div className="property-actions">
        <button className="danger" onClick={onDelete} disabled={readOnly} data-testid="delete-node">Delete step</button>
      </div>
    </div>
  );
}
