import { useEffect, useRef, useState, type ReactNode } from 'react';

export function Dialog({ title, children, onClose, testId }: { title: string; children: ReactNode; onClose: () => void; testId?: string }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** In-app confirm (window.confirm is auto-dismissed by browser test drivers). */
export function ConfirmDialog({ title, message, confirmLabel = 'Delete', onConfirm, onCancel }: {
  title: string;
  message: ReactNode;
  confirmLabel?: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog title={title} onClose={onCancel} testId="confirm-dialog">
      <p>{message}</p>
      <div className="dialog-actions">
        <button onClick={onCancel} data-testid="confirm-cancel">Cancel</button>
        <button className="danger" onClick={onConfirm} data-testid="confirm-ok" autoFocus>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

export function PromptDialog({ title, label, initial = '', submitLabel = 'OK', onSubmit, onCancel }: {
  title: string;
  label: string;
  initial?: string;
  submitLabel?: string;
  onSubmit: (value: string) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(initial);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);
  return (
    <Dialog title={title} onClose={onCancel} testId="prompt-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) onSubmit(value.trim());
        }}
      >
        <label className="field">
          <span>{label}</span>
          <input ref={ref} value={value} onChange={(e) => setValue(e.target.value)} data-testid="prompt-input" />
        </label>
        <div className="dialog-actions">
          <button type="button" onClick={onCancel} data-testid="prompt-cancel">Cancel</button>
          <button type="submit" className="primary" disabled={!value.trim()} data-testid="prompt-ok">
            {submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
