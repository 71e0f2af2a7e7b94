import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../api/context';
import type { FlowSummary } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { ConfirmDialog, PromptDialog } from '../components/Dialog';
import { copyName, emptyDefinition, exportFileName, parseImportedFlow } from '../flow/io';
import { Link, navigate } from '../router';

type DialogState =
  | { kind: 'create' }
  | { kind: 'rename'; flow: FlowSummary }
  | { kind: 'delete'; flow: FlowSummary }
  | null;

export function downloadJson(fileName: string, data: unknown) {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function FlowsList() {
  const api = useApi();
  const [flows, setFlows] = useState<FlowSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<DialogState>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    try {
      setFlows(await api.listFlows());
    } catch (e) {
      setError(e);
      setFlows((f) => f ?? []);
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  const run = async (action: () => Promise<void>) => {
    setError(null);
    setNotice(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    }
  };

  const create = (name: string) =>
    run(async () => {
      setDialog(null);
      const created = await api.createFlow(emptyDefinition(name));
      navigate(`/flows/${encodeURIComponent(created.id)}`);
    });

  const rename = (flow: FlowSummary, name: string) =>
    run(async () => {
      setDialog(null);
      const detail = await api.getFlow(flow.id);
      await api.saveFlow(flow.id, { ...detail.definition, id: flow.id, name });
      await load();
    });

  const remove = (flow: FlowSummary) =>
    run(async () => {
      setDialog(null);
      await api.deleteFlow(flow.id);
      await load();
    });

  const duplicate = (flow: FlowSummary) =>
    run(async () => {
      const detail = await api.getFlow(flow.id);
      const { id: _ignored, ...def } = detail.definition;
      void _ignored;
      const name = copyName(flow.name, (flows ?? []).map((f) => f.name));
      await api.createFlow({ ...def, name });
      await load();
      setNotice(`Duplicated as “${name}”.`);
    });

  const exportFlow = (flow: FlowSummary) =>
    run(async () => {
      const detail = await api.getFlow(flow.id);
      downloadJson(exportFileName(flow.name), { ...detail.definition, name: detail.name });
    });

  const importFile = (file: File) =>
    run(async () => {
      const text = await file.text();
      const def = parseImportedFlow(text, file.name.replace(/\.(flow\.)?json$/i, ''));
      const created = await api.createFlow(def);
      await load();
      setNotice(`Imported “${created.name}”.`);
    });

  return (
    <div className="page">
      <div className="page-header">
        <h1>Flows</h1>
        <span className="spacer" />
        <input
          ref={fileRef}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="import-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void importFile(f);
          }}
        />
        <button onClick={() => fileRef.current?.click()} data-testid="import-flow">Import JSON</button>
        <button className="primary" onClick={() => setDialog({ kind: 'create' })} data-testid="create-flow">
          New flow
        </button>
      </div>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && <div className="banner banner-info" data-testid="notice">{notice}</div>}
      {flows === null ? (
        <p className="muted">Loading…</p>
      ) : flows.length === 0 ? (
        <div className="empty" data-testid="flows-empty">
          <p>No flows yet.</p>
          <button className="primary" onClick={() => setDialog({ kind: 'create' })}>Create your first flow</button>
        </div>
      ) : (
        <table className="table" data-testid="flows-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Published</th>
              <th>Updated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {flows.map((f) => (
              <tr key={f.id} data-testid={`flow-row-${f.id}`}>
                <td>
                  <Link to={`/flows/${encodeURIComponent(f.id)}`} data-testid={`open-flow-${f.id}`}>
                    {f.name}
                  </Link>
                </td>
                <td>{f.publishedVersion != null ? <span className="pill pill-green">v{f.publishedVersion}</span> : <span className="pill">draft</span>}</td>
                <td className="muted">{formatDate(f.updatedAt)}</td>
                <td className="row-actions">
                  <button onClick={() => setDialog({ kind: 'rename', flow: f })} data-testid={`rename-flow-${f.id}`}>Rename</button>
                  <button onClick={() => duplicate(f)} data-testid={`duplicate-flow-${f.id}`}>Duplicate</button>
                  <button onClick={() => exportFlow(f)} data-testid={`export-flow-${f.id}`}>Export</button>
                  <button className="danger" onClick={() => setDialog({ kind: 'delete', flow: f })} data-testid={`delete-flow-${f.id}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {dialog?.kind === 'create' && (
        <PromptDialog title="New flow" label="Name" submitLabel="Create" onSubmit={create} onCancel={() => setDialog(null)} />
      )}
      {dialog?.kind === 'rename' && (
        <PromptDialog
          title="Rename flow"
          label="Name"
          initial={dialog.flow.name}
          submitLabel="Rename"
          onSubmit={(name) => rename(dialog.flow, name)}
          onCancel={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title="Delete flow"
          message={<>Delete “{dialog.flow.name}” and all its versions? This cannot be undone.</>}
          onConfirm={() => remove(dialog.flow)}
          onCancel={() => setDialog(null)}
        />
      )}
    </div>
  );
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}
