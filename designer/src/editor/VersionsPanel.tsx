import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../api/context';
import { errorMessage } from '../api/problem';
import type { FlowVersion } from '../api/types';
import { formatDate } from '../pages/FlowsList';

export function VersionsPanel({ flowId, publishedVersion, viewing, onView, refreshKey }: {
  flowId: string;
  publishedVersion: number | null;
  viewing: number | null;
  onView: (version: number) => void;
  refreshKey: number;
}) {
  const api = useApi();
  const [versions, setVersions] = useState<FlowVersion[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setError(null);
      const list = await api.listVersions(flowId);
      setVersions([...list].sort((a, b) => b.version - a.version));
    } catch (e) {
      setError(errorMessage(e));
      setVersions([]);
    }
  }, [api, flowId]);

  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  return (
    <div className="versions-panel" data-testid="versions-panel">
      {error && <div className="field-error">{error}</div>}
      {versions === null && <p className="muted small">Loading…</p>}
      {versions?.length === 0 && !error && <p className="muted small">Not published yet. Publish to create version 1.</p>}
      <ul className="version-list">
        {versions?.map((v) => (
          <li key={v.version} className={viewing === v.version ? 'active' : ''} data-testid={`version-${v.version}`}>
            <div>
              <strong>v{v.version}</strong>
              {publishedVersion === v.version && <span className="pill pill-green">live</span>}
              <div className="muted small">{formatDate(v.publishedAt)}</div>
            </div>
            <button className="small" onClick={() => onView(v.version)} data-testid={`view-version-${v.version}`}>
              View
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
