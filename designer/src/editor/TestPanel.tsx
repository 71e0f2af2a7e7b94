import { useEffect, useRef, useState } from 'react';
import { errorMessage, flowErrorText } from '../api/problem';
import type { JournalEntry, RunResult } from '../api/types';
import { emptyTestJournal, isFailedEntry, isWaiting, mergeJournal, type TestJournal } from '../flow/annotations';

export interface ChatMessage {
  from: 'user' | 'bot' | 'system' | 'error';
  text: string;
}

export function newConversationId(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return `test-${crypto.randomUUID()}`;
  return `test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** Chat simulator: the first message starts the saved draft, later ones resume the same conversation. */
export function TestPanel({ run, onJournal, onRestart, onFocusStep }: {
  run: (conversationId: string, text: string) => Promise<RunResult>;
  onFocusStep?: (activityId: string) => void;
  onJournal: (journal: JournalEntry[], status: RunResult['status'] | undefined) => void;
  onRestart: () => void;
}) {
  const [conversationId, setConversationId] = useState(newConversationId);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [testJournal, setTestJournal] = useState<TestJournal>(emptyTestJournal);
  const journal = testJournal.entries;
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<RunResult['status'] | null>(null);
  const endRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    endRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [messages]);

  const send = async (e?: React.FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    const t = text;
    setText('');
    setBusy(true);
    setMessages((m) => [...m, { from: 'user', text: t }]);
    try {
      const result = await run(conversationId, t);
      const replies: ChatMessage[] = (result.replies ?? []).map((r) => ({ from: 'bot', text: r }));
      if (result.status === 'completed') replies.push({ from: 'system', text: 'Flow completed.' });
      if (result.status === 'faulted') replies.push({ from: 'error', text: flowErrorText(result.error) ?? 'The flow failed.' });
      setMessages((m) => [...m, ...replies]);
      const next = mergeJournal(testJournal, result.instanceId, result.journal);
      setTestJournal(next);
      setStatus(result.status);
      onJournal(next.entries, result.status);
    } catch (err) {
      setMessages((m) => [...m, { from: 'error', text: errorMessage(err) }]);
    } finally {
      setBusy(false);
    }
  };

  const restart = () => {
    setConversationId(newConversationId());
    setMessages([]);
    setTestJournal(emptyTestJournal);
    setStatus(null);
    onRestart();
  };

  return (
    <div className="test-panel" data-testid="test-panel">
      <div className="test-head">
        <span className="muted small" title={conversationId}>
          Runs the saved draft{status ? ` · ${status}` : ''}
        </span>
        <span className="spacer" />
        <button className="small" onClick={restart} data-testid="chat-restart">Restart</button>
      </div>
      <div className="chat" data-testid="chat-messages">
        {messages.length === 0 && <p className="muted small">Send a message to start the flow.</p>}
        {messages.map((m, i) => (
          <div key={i} className={`bubble bubble-${m.from}`} data-testid={`chat-${m.from}`}>
            {m.text}
          </div>
        ))}
        {busy && <div className="bubble bubble-system">…</div>}
        <div ref={endRef} />
      </div>
      <form className="chat-form" onSubmit={send}>
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={messages.length === 0 ? 'Say hello to start…' : 'Reply…'}
          data-testid="chat-input"
        />
        <button type="submit" className="primary" disabled={busy} data-testid="chat-send">Send</button>
      </form>
      <h3>Journal</h3>
      {journal.length === 0 ? (
        <p className="muted small">No steps have run yet.</p>
      ) : (
        <ol className="journal" data-testid="journal">
          {journal.map((j, i) => (
            <li key={i} className={isFailedEntry(j) ? 'failed' : ''} data-testid={`journal-${i}`}>
              <div className="journal-line">
                <button className="link mono" onClick={() => onFocusStep?.(j.activityId)} title="Show on canvas">
                  {j.activityId}
                </button>
                <span className="muted">{j.type}</span>
                <span className="spacer" />
                {isWaiting(j) ? <span className="outcome-pill waiting">waiting</span> : j.outcome && <span className="outcome-pill">{j.outcome}</span>}
                <span className="muted small">{j.durationMs < 10 ? j.durationMs.toFixed(1) : Math.round(j.durationMs)} ms</span>
              </div>
              {j.error && <div className="field-error">{flowErrorText(j.error)}</div>}
              {j.variables && Object.keys(j.variables).length > 0 && (
                <details>
                  <summary>Variables</summary>
                  <pre>{JSON.stringify(j.variables, null, 2)}</pre>
                </details>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
