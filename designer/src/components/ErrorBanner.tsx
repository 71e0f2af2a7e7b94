import { ApiError, errorMessage } from '../api/problem';

/** Shows an error: the problem's detail, plus its field errors when there are any. */
export function ErrorBanner({ error, onClose, testId = 'error-banner' }: { error: unknown; onClose?: () => void; testId?: string }) {
  if (!error) return null;
  const list = error instanceof ApiError ? error.errors : [];
  return (
    <div className="banner banner-error" role="alert" data-testid={testId}>
      <div className="banner-body">
        <strong>{errorMessage(error)}</strong>
        {error instanceof ApiError && error.code && <span className="muted"> ({error.code})</span>}
        {list.length > 0 && (
          <ul>
            {list.map((e, i) => (
              <li key={i}>
                {e.activityId && <code>{e.activityId}</code>} {e.input && <code>{e.input}</code>} {e.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      {onClose && (
        <button className="icon-button" onClick={onClose} aria-label="Dismiss" data-testid={`${testId}-close`}>
          ×
        </button>
      )}
    </div>
  );
}
