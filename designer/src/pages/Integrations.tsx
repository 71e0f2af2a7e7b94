import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../api/context';
import { ApiError, errorMessage } from '../api/problem';
import type { Integration, IntegrationLog, Preset } from '../api/types';
import { ConfirmDialog, Dialog } from '../components/Dialog';
import { ErrorBanner } from '../components/ErrorBanner';
import { emptyForm, formToRequest, integrationToForm, readAuthorizationResult, validateForm, type IntegrationForm } from '../integrations/form';
import { CallbackUrl, IntegrationFormView } from '../integrations/IntegrationForm';
import { navigate } from '../router';
import { formatDate } from './FlowsList';

const STATUS_LABEL: Record<string, string> = {
  incomplete: 'Incomplete',
  authorized: 'Authorized',
  error: 'Error',
  needs_reauthorization: 'Needs reauthorization',
  disconnected: 'Disconnected',
};

const HEALTH_LABEL: Record<string, string> = {
  green: 'Used successfully',
  yellow: 'Configured, not used yet',
  red: 'Last use failed',
};

type Editing = { mode: 'create' } | { mode: 'edit'; integration: Integration } | null;

export function Integrations() {
  const api = useApi();
  const [authResult] = useState(() => readAuthorizationResult(window.location.search));
  const [list, setList] = useState<Integration[] | null>(null);
  const [presets, setPresets] = useState<Preset[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [form, setForm] = useState<IntegrationForm>(emptyForm);
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [created, setCreated] = useState<Integration | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<Integration | null>(null);
  const [logsFor, setLogsFor] = useState<Integration | null>(null);
  const [showAuthBanner, setShowAuthBanner] = useState(true);

  const load = useCallback(async () => {
    try {
      setList(await api.listIntegrations());
    } catch (e) {
      setError(e);
      setList((l) => l ?? []);
    }
  }, [api]);

  useEffect(() => {
    void load();
    api.presets().then(setPresets).catch(() => setPresets([]));
  }, [api, load]);

  // The provider round trip lands here with ?status=…; show the banner once, keep the URL clean.
  useEffect(() => {
    if (authResult) navigate('/integrations', { replace: true });
  }, [authResult]);

  const startCreate = () => {
    setEditing({ mode: 'create' });
    setForm(emptyForm());
    setFormErrors({});
    setFormError(null);
    setCreated(null);
  };

  const startEdit = (i: Integration) => {
    setEditing({ mode: 'edit', integration: i });
    setForm(integrationToForm(i));
    setFormErrors({});
    setFormError(null);
    setCreated(null);
  };

  const submit = async () => {
    if (!editing) return;
    const errs = validateForm(form, editing.mode);
    setFormErrors(errs);
    if (Object.keys(errs).length > 0) return;
    setBusy('form');
    setFormError(null);
    try {
      const body = formToRequest(form);
      if (editing.mode === 'create') {
        const res = await api.createIntegration(body);
        setCreated(res);
      }
      else await api.updateIntegration(editing.integration.id, body);
      setEditing(null);
      await load();
    } catch (e) {
      setFormError(e);
      if (e instanceof ApiError) {
        // Map field errors that name an input onto the form.
        const fieldErrs: Record<string, string> = {};
        for (const fe of e.errors) if (fe.input) fieldErrs[fe.input.charAt(0).toLowerCase() + fe.input.slice(1)] = fe.message;
        setFormErrors(fieldErrs);
      }
    } finally {
      setBusy(null);
    }
  };

  const act = async (key: string, action: () => Promise<unknown>) => {
    setBusy(key);
    setError(null);
    try {
      await action();
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const authorize = (i: Integration) =>
    act(`authorize-${i.id}`, async () => {
      const { authorizationUrl } = await api.authorizeUrl(i.id);
      window.location.assign(authorizationUrl);
    });

  return (
    <div className="page">
      <div className="page-header">
        <h1>Integrations</h1>
        <span className="spacer" />
        <button className="primary" onClick={startCreate} data-testid="add-integration">Add integration</button>
      </div>

      {authResult && showAuthBanner && authResult.kind === 'success' && (
        <div className="banner banner-success" role="status">
          {/* The test id sits on the element whose text is exactly the sentence from the product docs. */}
          <span className="banner-body" data-testid="auth-success-banner">All set! Your authorization is complete!</span>
          {authResult.integrationName && <span className="muted small" data-testid="auth-integration-name">{authResult.integrationName}</span>}
          <button className="icon-button" onClick={() => setShowAuthBanner(false)} aria-label="Dismiss">×</button>
        </div>
      )}
      {authResult && showAuthBanner && authResult.kind === 'error' && (
        <div className="banner banner-error" role="alert" data-testid="auth-error-banner">
          <span className="banner-body">
            Authorization failed{authResult.integrationName ? ` for ${authResult.integrationName}` : ''}:{' '}
            <strong data-testid="auth-error-message">{authResult.error}</strong>
          </span>
          <button className="icon-button" onClick={() => setShowAuthBanner(false)} aria-label="Dismiss">×</button>
        </div>
      )}
      <ErrorBanner error={error} onClose={() => setError(null)} />

      {created && (
        <div className="card created-card" data-testid="integration-created">
          <h2>“{created.name}” was created</h2>
          <p className="muted">
            Copy the callback URL into the provider's app settings (valid redirect URLs), then{' '}
            {created.grantType === 'client_credentials' ? 'connect.' : 'authorize.'}
          </p>
          <CallbackUrl url={created.callbackUrl} />
          <div className="dialog-actions">
            <button onClick={() => setCreated(null)} data-testid="created-close">Done</button>
            {created.grantType === 'client_credentials' ? (
              <button className="primary" onClick={() => act(`connect-${created.id}`, () => api.connect(created.id))} data-testid="created-connect">
                Connect
              </button>
            ) : (
              <button className="primary" onClick={() => authorize(created)} disabled={busy === `authorize-${created.id}`} data-testid="created-authorize">
                Authorize
              </button>
            )}
          </div>
        </div>
      )}

      {editing && (
        <>
          <ErrorBanner error={formError} onClose={() => setFormError(null)} testId="integration-form-error" />
          <IntegrationFormView
            key={editing.mode === 'edit' ? editing.integration.id : 'new'}
            form={form}
            setForm={setForm}
            presets={presets}
            errors={formErrors}
            mode={editing.mode}
            existing={editing.mode === 'edit' ? editing.integration : null}
            busy={busy === 'form'}
            onSubmit={() => void submit()}
            onCancel={() => setEditing(null)}
          />
        </>
      )}

      {list === null ? (
        <p className="muted">Loading…</p>
      ) : list.length === 0 ? (
        !editing && (
          <div className="empty" data-testid="integrations-empty">
            <p>No integrations yet. Add one to call APIs such as Google, Zoho, Intercom or Teamleader from your flows.</p>
          </div>
        )
      ) : (
        <table className="table" data-testid="integrations-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>Grant</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((i) => (
              <tr key={i.id} data-testid={`integration-row-${i.id}`} data-name={i.name}>
                <td>
                  <span className={`dot dot-${i.health}`} title={HEALTH_LABEL[i.health] ?? i.health} data-testid={`health-${i.id}`} data-health={i.health} />
                  <strong>{i.name}</strong>
                  {i.lastError && <div className="field-error small">{i.lastError}</div>}
                </td>
                <td>
                  <span className={`pill status-${i.status}`} data-testid={`status-${i.id}`} data-status={i.status}>
                    {STATUS_LABEL[i.status] ?? i.status}
                  </span>
                </td>
                <td className="muted small">{i.grantType === 'client_credentials' ? 'Client credentials' : 'Authorization code'}</td>
                <td className="row-actions">
                  {i.grantType === 'client_credentials' ? (
                    <button onClick={() => act(`connect-${i.id}`, () => api.connect(i.id))} disabled={busy === `connect-${i.id}`} data-testid={`connect-${i.id}`}>
                      {i.status === 'authorized' ? 'Reconnect' : 'Connect'}
                    </button>
                  ) : i.status === 'incomplete' ? (
                    <button className="primary" onClick={() => authorize(i)} disabled={busy === `authorize-${i.id}`} data-testid={`authorize-${i.id}`}>
                      Authorize
                    </button>
                  ) : (
                    <button onClick={() => authorize(i)} disabled={busy === `authorize-${i.id}`} data-testid={`reconnect-${i.id}`}>
                      Reconnect
                    </button>
                  )}
                  {i.status === 'authorized' && (
                    <button onClick={() => act(`disconnect-${i.id}`, () => api.disconnect(i.id))} data-testid={`disconnect-${i.id}`}>
                      Disconnect
                    </button>
                  )}
                  <button onClick={() => setLogsFor(i)} data-testid={`logs-${i.id}`}>Logs</button>
                  <button onClick={() => startEdit(i)} data-testid={`edit-${i.id}`}>Edit</button>
                  <button className="danger" onClick={() => setConfirmDelete(i)} data-testid={`delete-${i.id}`}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {confirmDelete && (
        <ConfirmDialog
          title="Delete integration"
          message={<>Delete “{confirmDelete.name}”? Flows that use it will fail until you pick another integration.</>}
          onCancel={() => setConfirmDelete(null)}
          onConfirm={() => {
            const target = confirmDelete;
            setConfirmDelete(null);
            void act(`delete-${target.id}`, () => api.deleteIntegration(target.id));
          }}
        />
      )}
      {logsFor && <LogsDialog integration={logsFor} onClose={() => setLogsFor(null)} />}
    </div>
  );
}

function LogsDialog({ integration, onClose }: { integration: Integration; onClose: () => void }) {
  const api = useApi();
  const [logs, setLogs] = useState<IntegrationLog[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .logs(integration.id)
      .then((l) => setLogs([...l].sort((a, b) => b.at.localeCompare(a.at))))
      .catch((e) => {
        setError(errorMessage(e));
        setLogs([]);
      });
  }, [api, integration.id]);

  return (
    <Dialog title={`Logs: ${integration.name}`} onClose={onClose} testId="logs-dialog">
      {error && <div className="field-error">{error}</div>}
      {logs === null && <p className="muted">Loading…</p>}
      {logs?.length === 0 && !error && <p className="muted" data-testid="logs-empty">Nothing logged yet.</p>}
      {logs && logs.length > 0 && (
        <div className="logs-scroll">
          <table className="table compact">
            <thead>
              <tr>
                <th>When</th>
                <th>Event</th>
                <th>Result</th>
                <th>HTTP</th>
                <th>Duration</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {logs.map((l, i) => (
                <tr key={i} className={l.success ? '' : 'row-failed'} data-testid={`log-row-${i}`}>
                  <td className="small">{formatDate(l.at)}</td>
                  <td><code>{l.kind}</code></td>
                  <td>{l.success ? <span className="pill pill-green">ok</span> : <span className="pill pill-red">failed</span>}</td>
                  <td>{l.httpStatus ?? ''}</td>
                  <td className="small">{l.durationMs != null ? `${l.durationMs} ms` : ''}</td>
                  <td className="small">
                    {l.error && <div className="field-error">{l.error}</div>}
                    {l.message}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="dialog-actions">
        <button onClick={onClose} data-testid="logs-close">Close</button>
      </div>
    </Dialog>
  );
}
