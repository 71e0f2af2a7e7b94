import { useRef, useState, type KeyboardEvent } from 'react';
import { applySuggestion, filterSuggestions, findOpenTemplate } from '../flow/variables';

/**
 * Text input / textarea that offers `{{variable}}` completions from the flow's known variables
 * as soon as the caret is inside an unclosed `{{`.
 */
export function TemplateInput({ value, onChange, variables, multiline, secret, testId, placeholder, mono }: {
  value: string;
  onChange: (v: string) => void;
  variables: string[];
  multiline?: boolean;
  secret?: boolean;
  testId: string;
  placeholder?: string;
  mono?: boolean;
}) {
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [active, setActive] = useState(0);

  const refresh = (text: string, caret: number | null) => {
    const open = caret == null ? null : findOpenTemplate(text, caret);
    const list = open ? filterSuggestions(variables, open.prefix) : [];
    setSuggestions(list);
    setActive(0);
  };

  const pick = (name: string) => {
    const el = ref.current;
    const caret = el?.selectionStart ?? value.length;
    const r = applySuggestion(value, caret, name);
    onChange(r.text);
    setSuggestions([]);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(r.caret, r.caret);
    });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (suggestions.length === 0) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => (a + 1) % suggestions.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => (a - 1 + suggestions.length) % suggestions.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      pick(suggestions[active]);
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      setSuggestions([]);
    }
  };

  const common = {
    ref,
    value,
    placeholder,
    'data-testid': testId,
    className: mono ? 'mono' : undefined,
    onChange: (e: { target: HTMLInputElement | HTMLTextAreaElement }) => {
      onChange(e.target.value);
      refresh(e.target.value, e.target.selectionStart);
    },
    onKeyDown,
    onClick: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => refresh(e.currentTarget.value, e.currentTarget.selectionStart),
    onBlur: () => setTimeout(() => setSuggestions([]), 150),
    spellCheck: false,
  };

  return (
    <div className="template-input">
      {multiline ? <textarea rows={4} {...common} /> : <input type={secret ? 'password' : 'text'} autoComplete="off" {...common} />}
      {suggestions.length > 0 && (
        <ul className="suggestions" role="listbox" data-testid={`${testId}-suggestions`}>
          {suggestions.map((s, i) => (
            <li
              key={s}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(s);
              }}
              data-testid={`suggestion-${s}`}
            >
              {`{{${s}}}`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
