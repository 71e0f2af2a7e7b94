import { useMemo, useState, type DragEvent } from 'react';
import type { ActivityDescriptor } from '../api/types';

export const DRAG_MIME = 'application/x-flowruntime-activity';

export function groupActivities(all: ActivityDescriptor[], query: string): [string, ActivityDescriptor[]][] {
  const q = query.trim().toLowerCase();
  const matches = all.filter(
    (a) =>
      !q ||
      a.displayName.toLowerCase().includes(q) ||
      a.type.toLowerCase().includes(q) ||
      a.category.toLowerCase().includes(q) ||
      (a.description ?? '').toLowerCase().includes(q),
  );
  const groups = new Map<string, ActivityDescriptor[]>();
  for (const a of matches) {
    const key = a.category || 'Other';
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return [...groups.entries()]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([k, list]) => [k, [...list].sort((a, b) => a.displayName.localeCompare(b.displayName))]);
}

export function Palette({ activities, onAdd, disabled }: { activities: ActivityDescriptor[]; onAdd: (type: string) => void; disabled?: boolean }) {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => groupActivities(activities, query), [activities, query]);

  const onDragStart = (e: DragEvent, type: string) => {
    e.dataTransfer.setData(DRAG_MIME, type);
    e.dataTransfer.setData('text/plain', type);
    e.dataTransfer.effectAllowed = 'move';
  };

  return (
    <aside className="palette" data-testid="palette">
      <input
        type="search"
        placeholder="Search steps…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="palette-search"
      />
      {groups.length === 0 && <p className="muted small">No steps match “{query}”.</p>}
      {groups.map(([category, list]) => (
        <section key={category} className="palette-group" data-testid={`palette-group-${category}`}>
          <h3>{category}</h3>
          {list.map((a) => (
            <div
              key={a.type}
              className={`palette-item ${disabled ? 'disabled' : ''}`}
              draggable={!disabled}
              onDragStart={(e) => onDragStart(e, a.type)}
              onDoubleClick={() => !disabled && onAdd(a.type)}
              onKeyDown={(e) => e.key === 'Enter' && !disabled && onAdd(a.type)}
              tabIndex={0}
              role="button"
              title={`${a.description ?? a.displayName}\nDrag onto the canvas, or double-click / Enter to add.`}
              data-testid={`palette-${a.type}`}
            >
              <span className="palette-item-name">{a.displayName}</span>
              {a.description && <span className="palette-item-desc">{a.description}</span>}
            </div>
          ))}
        </section>
      ))}
      <p className="muted small palette-hint">Drag a step onto the canvas. Double-click adds it in the middle.</p>
    </aside>
  );
}
