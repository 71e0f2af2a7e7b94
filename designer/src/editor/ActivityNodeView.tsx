import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { nodeSummary } from '../flow/annotations';
import type { ActivityNode } from '../flow/graph';
import { useDecorations } from './context';


export const ActivityNodeView = memo(function ActivityNodeView({ id, data, selected }: NodeProps<ActivityNode>) {
  const { descriptors, start, errors, steps, fallbackOutcomes } = useDecorations();
  const descriptor = descriptors.get(data.activityType);
  const outcomes = descriptor?.outcomes ?? fallbackOutcomes.get(id) ?? [];
  const nodeErrors = errors.get(id) ?? [];
  const step = steps.get(id);
  const isStart = start === id;
  const classes = [
    'activity-node',
    selected ? 'selected' : '',
    nodeErrors.length ? 'has-error' : '',
    step === 'ran' ? 'step-ran' : '',
    step === 'failed' ? 'step-failed' : '',
    descriptor ? '' : 'unknown-type',
  ].join(' ');
  const text = nodeSummary(data.inputs, descriptor);

  return (
    <div className={classes} data-testid={`node-${id}`} data-type={data.activityType} data-start={isStart ? 'true' : undefined} data-step={step}>
      <Handle type="target" position={Position.Left} id="in" className="handle-in" data-testid={`handle-${id}-in`} />
      <div className="activity-node-header">
        {isStart && (
          <span className="badge badge-start" data-testid={`start-badge-${id}`} title="The flow starts here">
            ▶ Start
          </span>
        )}
        <span className="activity-node-title">{descriptor?.displayName ?? data.activityType}</span>
      </div>
      <div className="activity-node-id">{id}</div>
      {!descriptor && <div className="activity-node-warning">Unknown activity type “{data.activityType}”</div>}
      {text && <div className="activity-node-summary">{text}</div>}
      {nodeErrors.length > 0 && (
        <ul className="activity-node-errors" data-testid={`node-errors-${id}`}>
          {nodeErrors.map((e, i) => (
            <li key={i}>{e.input ? `${e.input}: ` : ''}{e.message}</li>
          ))}
        </ul>
      )}
      <div className="activity-node-outcomes">
        {outcomes.map((o) => (
          <div className="outcome" key={o}>
            <span className="outcome-label">{o}</span>
            <Handle type="source" position={Position.Right} id={o} className="handle-out" data-testid={`handle-${id}-${o}`} title={`Connect “${o}”`} />
          </div>
        ))}
      </div>
    </div>
  );
});
