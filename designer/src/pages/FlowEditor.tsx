import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type IsValidConnection,
  type NodeChange,
  type NodeTypes,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { useApi } from '../api/context';
import { ApiError, errorMessage } from '../api/problem';
import type { ActivityDescriptor, FlowDefinition, Integration, JournalEntry, ProblemFieldError, RunResult } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { errorsByActivity, stepStates } from '../flow/annotations';
import { copySelection, isClipboardContent } from '../flow/clipboard';
import * as ops from '../flow/operations';
import {
  DEFAULT_TRIGGER,
  addConnection,
  definitionExtras,
  definitionToGraph,
  findFreePosition,
  graphToDefinition,
  type ActivityNode,
  type FlowGraph,
} from '../flow/graph';
import { canRedo, canUndo, createHistory, push, redo, undo, type History } from '../flow/history';
import { collectVariables } from '../flow/variables';
import { Link } from '../router';
import { ActivityNodeView } from '../editor/ActivityNodeView';
import { EditorContext, type EditorDecorations } from '../editor/context';
import { DRAG_MIME, Palette } from '../editor/Palette';
import { PropertyPanel } from '../editor/PropertyPanel';
import { TestPanel } from '../editor/TestPanel';
import { VersionsPanel } from '../editor/VersionsPanel';

const nodeTypes: NodeTypes = { activity: ActivityNodeView };
const CLIPBOARD_KEY = 'flowruntime.clipboard';
const EMPTY: FlowGraph = { nodes: [], edges: [], start: null };

type Tab = 'properties' | 'test' | 'versions';

const snapshot = (g: FlowGraph): FlowDefinition => graphToDefinition(g, { name: '' });

function draftProblemsTitle(n: number): string {
  return `Saved as a draft; ${n} problem${n === 1 ? '' : 's'} to fix before publishing.`;
}

function isTypingTarget(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

export function FlowEditor({ flowId }: { flowId: string }) {
  return (
    <ReactFlowProvider>
      <EditorInner flowId={flowId} />
    </ReactFlowProvider>
  );
}

function EditorInner({ flowId }: { flowId: string }) {
  const api = useApi();
  const rf = useReactFlow();
  const wrapperRef = useRef<HTMLDivElement>(null);

  const [loaded, setLoaded] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [descriptors, setDescriptors] = useState<ActivityDescriptor[]>([]);
  const [paletteError, setPaletteError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [trigger, setTrigger] = useState<FlowDefinition['trigger'] | undefined>(undefined);
  const [extra, setExtra] = useState<Record<string, unknown> | undefined>(undefined);
  const [publishedVersion, setPublishedVersion] = useState<number | null>(null);
  const [savedJson, setSavedJson] = useState('');

  // The live graph and its history live in refs too, so event handlers that ReactFlow calls in
  // quick succession always build on the latest state.
  const [graph, setGraphState] = useState<FlowGraph>(EMPTY);
  const graphRef = useRef<FlowGraph>(EMPTY);
  const [history, setHistoryState] = useState<History<FlowDefinition>>(() => createHistory(snapshot(EMPTY)));
  const historyRef = useRef(history);

  const [validation, setValidation] = useState<ProblemFieldError[]>([]);
  const [validationTitle, setValidationTitle] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'publish' | null>(null);
  const [tab, setTab] = useState<Tab>('properties');
  const [run, setRun] = useState<{ journal: JournalEntry[]; status?: RunResult['status'] }>({ journal: [] });
  const [viewing, setViewing] = useState<{ version: number; graph: FlowGraph } | null>(null);
  const [versionsKey, setVersionsKey] = useState(0);
  const [integrations, setIntegrations] = useState<Integration[] | null>(null);
  const [integrationsError, setIntegrationsError] = useState<string | null>(null);
  const pasteCount = useRef(0);

  const setGraph = useCallback((next: FlowGraph, record?: { coalesceKey?: string }) => {
    graphRef.current = next;
    setGraphState(next);
    if (record) {
      const h = push(historyRef.current, snapshot(next), { coalesceKey: record.coalesceKey });
      historyRef.current = h;
      setHistoryState(h);
    }
  }, []);

  const setHistory = (h: History<FlowDefinition>) => {
    historyRef.current = h;
    setHistoryState(h);
  };

  // ---- loading ----
  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const flow = await api.getFlow(flowId);
        if (cancelled) return;
        const g = definitionToGraph(flow.definition);
        setName(flow.name ?? flow.definition.name);
        setTrigger(flow.definition.trigger);
        setExtra(definitionExtras(flow.definition));
        setPublishedVersion(flow.publishedVersion ?? null);
        graphRef.current = g;
        setGraphState(g);
        setHistory(createHistory(snapshot(g)));
        setSavedJson(
          JSON.stringify(
            graphToDefinition(g, { id: flowId, name: flow.name ?? flow.definition.name, trigger: flow.definition.trigger, extra: definitionExtras(flow.definition) }),
          ),
        );
        // A reopened draft shows what still has to be fixed on its steps (flow-level notes such as
        // "no steps yet" wait for the first save, so a new flow does not open with a red banner).
        const stepProblems = (flow.errors ?? []).filter((e) => e.activityId);
        setValidation(stepProblems);
        setValidationTitle(stepProblems.length ? draftProblemsTitle(stepProblems.length) : null);
        setLoaded(true);
        // Only with nodes: React Flow queues a fitView on an empty canvas until the first node
        // appears, which would zoom and move the first dropped step away from where it was dropped.
        if (g.nodes.length > 0) requestAnimationFrame(() => rf.fitView({ padding: 0.2, maxZoom: 1.2 }));
      } catch (e) {
        if (!cancelled) setLoadError(e);
      }
    })();
    (async () => {
      try {
        const list = await api.activities();
        if (!cancelled) setDescriptors(list);
      } catch (e) {
        if (!cancelled) setPaletteError(e);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [api, flowId]);

  const descriptorMap = useMemo(() => new Map(descriptors.map((d) => [d.type, d])), [descriptors]);
  const currentDef = useMemo(() => graphToDefinition(graph, { id: flowId, name, trigger, extra }), [graph, flowId, name, trigger, extra]);
  const dirty = loaded && JSON.stringify(currentDef) !== savedJson;

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const readOnly = viewing !== null;
  const shown = viewing?.graph ?? graph;
  const selectedNodes = shown.nodes.filter((n) => n.selected);
  const selected = selectedNodes.length === 1 ? selectedNodes[0] : null;

  // Integrations for the integration dropdown, loaded the first time a step needs them.
  const needsIntegrations = !!selected && !!descriptorMap.get(selected.data.activityType)?.inputs.some((i) => i.uiHint === 'integration');
  useEffect(() => {
    if (!needsIntegrations || integrations !== null) return;
    api
      .listIntegrations('authorized')
      .then(setIntegrations)
      .catch((e) => {
        setIntegrations([]);
        setIntegrationsError(errorMessage(e));
      });
  }, [api, needsIntegrations, integrations]);

  const variables = useMemo(() => collectVariables(currentDef.activities, descriptors), [currentDef.activities, descriptors]);

  const decorations: EditorDecorations = useMemo(() => {
    const fallbackOutcomes = new Map<string, string[]>();
    for (const n of shown.nodes) {
      if (descriptorMap.has(n.data.activityType)) continue;
      fallbackOutcomes.set(n.id, [...new Set(shown.edges.filter((e) => e.source === n.id).map((e) => e.sourceHandle ?? ''))]);
    }
    return {
      descriptors: descriptorMap,
      start: shown.start,
      errors: viewing ? new Map() : errorsByActivity(validation),
      steps: viewing ? new Map() : stepStates(run.journal, run.status),
      fallbackOutcomes,
    };
  }, [descriptorMap, shown, validation, run, viewing]);

  // ---- graph edits ----
  const onNodesChange = useCallback(
    (changes: NodeChange<ActivityNode>[]) => {
      const kept = changes.filter((c) => c.type !== 'remove' && c.type !== 'add');
      if (viewing) {
        setViewing((v) => (v ? { ...v, graph: { ...v.graph, nodes: applyNodeChanges(kept, v.graph.nodes) } } : v));
        return;
      }
      const g = graphRef.current;
      setGraph({ ...g, nodes: applyNodeChanges(kept, g.nodes) });
    },
    [viewing, setGraph],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const kept = changes.filter((c) => c.type === 'select');
      if (viewing) return;
      const g = graphRef.current;
      setGraph({ ...g, edges: applyEdgeChanges(kept, g.edges) });
    },
    [viewing, setGraph],
  );

  const onNodeDragStop = useCallback(() => setGraph(graphRef.current, {}), [setGraph]);

  const onConnect = useCallback(
    (c: Connection) => {
      if (!c.sourceHandle || !c.target) return;
      const g = graphRef.current;
      setGraph({ ...g, edges: addConnection(g.edges, { source: c.source, outcome: c.sourceHandle, target: c.target }) }, {});
    },
    [setGraph],
  );

  const isValidConnection: IsValidConnection = useCallback((c) => c.source !== c.target, []);

  const addActivity = useCallback(
    (type: string, position: { x: number; y: number }) => {
      setGraph(ops.addActivity(graphRef.current, type, position, descriptorMap.get(type)).graph, {});
      setTab('properties');
    },
    [descriptorMap, setGraph],
  );

  const addAtCenter = (type: string) => {
    const rect = wrapperRef.current?.getBoundingClientRect();
    const p = rect
      ? rf.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 3 })
      : { x: 0, y: 0 };
    addActivity(type, findFreePosition(graphRef.current.nodes.map((n) => n.position), { x: Math.round(p.x - 110), y: Math.round(p.y - 40) }));
  };

  const onDragOver = (e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    if (readOnly) return;
    const type = e.dataTransfer.getData(DRAG_MIME) || e.dataTransfer.getData('text/plain');
    if (!type || !descriptorMap.has(type)) return;
    addActivity(type, rf.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
  };

  const updateInput = (nodeId: string, input: string, value: unknown) =>
    setGraph(ops.setInput(graphRef.current, nodeId, input, value), { coalesceKey: `${nodeId}:${input}` });

  const setStart = (id: string) => setGraph({ ...graphRef.current, start: id }, {});

  const connectOutcome = (nodeId: string, outcome: string, target: string | null) =>
    setGraph(ops.connectOutcome(graphRef.current, nodeId, outcome, target), {});

  const deleteNode = (id: string) => setGraph(ops.deleteNodes(graphRef.current, new Set([id]), false), {});

  const deleteSelection = useCallback(() => setGraph(ops.deleteSelection(graphRef.current), {}), [setGraph]);

  const restoreSnapshot = useCallback(
    (def: FlowDefinition) => {
      const selectedIds = new Set(graphRef.current.nodes.filter((n) => n.selected).map((n) => n.id));
      const g = definitionToGraph(def);
      g.nodes = g.nodes.map((n) => (selectedIds.has(n.id) ? { ...n, selected: true } : n));
      graphRef.current = g;
      setGraphState(g);
    },
    [],
  );

  const doUndo = useCallback(() => {
    const h = undo(historyRef.current);
    if (h === historyRef.current) return;
    setHistory(h);
    restoreSnapshot(h.present);
  }, [restoreSnapshot]);

  const doRedo = useCallback(() => {
    const h = redo(historyRef.current);
    if (h === historyRef.current) return;
    setHistory(h);
    restoreSnapshot(h.present);
  }, [restoreSnapshot]);

  const copy = useCallback(() => {
    const clip = copySelection(graphRef.current.nodes, graphRef.current.edges);
    if (!clip) return;
    localStorage.setItem(CLIPBOARD_KEY, JSON.stringify(clip));
    pasteCount.current = 0;
    setNotice(`Copied ${clip.activities.length} step${clip.activities.length === 1 ? '' : 's'}. Ctrl+V pastes.`);
  }, []);

  const paste = useCallback(() => {
    let clip: unknown;
    try {
      clip = JSON.parse(localStorage.getItem(CLIPBOARD_KEY) ?? 'null');
    } catch {
      clip = null;
    }
    if (!isClipboardContent(clip)) return;
    pasteCount.current += 1;
    const offset = 40 * pasteCount.current;
    setGraph(ops.paste(graphRef.current, clip, { x: offset, y: offset }), {});
  }, [setGraph]);

  const selectAll = useCallback(() => setGraph(ops.selectAll(graphRef.current)), [setGraph]);

  // ---- server actions ----
  const showProblem = (e: unknown) => {
    if (e instanceof ApiError && e.errors.length > 0) {
      setValidation(e.errors);
      setValidationTitle(e.message);
      setError(null);
    } else {
      setError(e);
    }
  };

  const save = async (): Promise<boolean> => {
    setBusy('save');
    setError(null);
    setNotice(null);
    const def = currentDef;
    try {
      const res = await api.saveFlow(flowId, def);
      setSavedJson(JSON.stringify(def));
      if (res) setPublishedVersion(res.publishedVersion ?? null);
      // Drafts are saved even when invalid; the response lists what to fix before publishing.
      const problems = res?.errors ?? [];
      setValidation(problems);
      setValidationTitle(problems.length ? draftProblemsTitle(problems.length) : null);
      setNotice('Saved.');
      return true;
    } catch (e) {
      showProblem(e);
      return false;
    } finally {
      setBusy(null);
    }
  };

  const saveRef = useRef(save);
  saveRef.current = save;

  const publish = async () => {
    if (dirty && !(await save())) return;
    setBusy('publish');
    setError(null);
    try {
      const res = await api.publishFlow(flowId);
      setPublishedVersion(res.version);
      setValidation([]);
      setValidationTitle(null);
      setNotice(`Published version ${res.version}.`);
      setVersionsKey((k) => k + 1);
    } catch (e) {
      showProblem(e);
    } finally {
      setBusy(null);
    }
  };

  const runTest = async (conversationId: string, text: string): Promise<RunResult> => {
    if (dirty && !(await saveRef.current())) throw new Error('Save failed; fix the problems listed above before testing.');
    return api.runFlow(flowId, { conversationId, text });
  };

  const viewVersion = async (version: number) => {
    try {
      setError(null);
      const def = await api.getVersion(flowId, version);
      setViewing({ version, graph: definitionToGraph(def) });
      requestAnimationFrame(() => rf.fitView({ padding: 0.2, maxZoom: 1.2 }));
    } catch (e) {
      setError(e);
    }
  };

  const restoreVersion = () => {
    if (!viewing) return;
    const g = viewing.graph;
    setGraph({ nodes: g.nodes.map((n) => ({ ...n, selected: false })), edges: g.edges, start: g.start }, {});
    setNotice(`Restored version ${viewing.version} into the editor. Save to keep it; Ctrl+Z undoes.`);
    setViewing(null);
  };

  const focusNode = (id: string, switchTab = true) => {
    if (viewing) return;
    const g = graphRef.current;
    const n = g.nodes.find((x) => x.id === id);
    if (!n) return;
    setGraph(ops.selectOnly(g, id));
    if (switchTab) setTab('properties');
    rf.setCenter(n.position.x + 110, n.position.y + 50, { zoom: Math.max(rf.getZoom(), 1), duration: 300 });
  };

  // ---- keyboard shortcuts ----
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        if (!viewing) void saveRef.current();
        return;
      }
      if (isTypingTarget(e.target) || viewing) return;
      if (mod && key === 'z' && !e.shiftKey) {
        e.preventDefault();
        doUndo();
      } else if (mod && ((key === 'z' && e.shiftKey) || key === 'y')) {
        e.preventDefault();
        doRedo();
      } else if (mod && key === 'c') {
        copy();
      } else if (mod && key === 'v') {
        e.preventDefault();
        paste();
      } else if (mod && key === 'a') {
        e.preventDefault();
        selectAll();
      } else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) {
        e.preventDefault();
        deleteSelection();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [viewing, doUndo, doRedo, copy, paste, selectAll, deleteSelection]);

  if (loadError) {
    return (
      <div className="page">
        <ErrorBanner error={loadError} />
        <Link to="/flows">Back to flows</Link>
      </div>
    );
  }

  const flowLevelErrors = validation.filter((v) => !v.activityId);

  return (
    <div className="editor" data-testid="flow-editor">
      <div className="toolbar">
        <Link to="/flows" className="back" data-testid="back-to-flows" title="Back to flows">←</Link>
        <input
          className="flow-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-label="Flow name"
          data-testid="flow-name"
          disabled={readOnly}
        />
        <label className="flow-channel" title="Messages on this channel start the published version; one published flow per channel.">
          <span className="muted small">Channel</span>
          <input
            value={trigger?.channel ?? ''}
            placeholder="web"
            onChange={(e) => setTrigger({ ...(trigger ?? DEFAULT_TRIGGER), channel: e.target.value.trim() || undefined })}
            aria-label="Channel"
            data-testid="flow-channel"
            disabled={readOnly}
          />
        </label>
        {dirty ? (
          <span className="pill pill-yellow" data-testid="dirty">Unsaved</span>
        ) : (
          loaded && <span className="pill" data-testid="clean">Saved</span>
        )}
        {publishedVersion != null && <span className="pill pill-green" data-testid="published-version">Live: v{publishedVersion}</span>}
        <span className="spacer" />
        <button onClick={doUndo} disabled={readOnly || !canUndo(history)} title="Undo (Ctrl+Z)" data-testid="undo">↶ Undo</button>
        <button onClick={doRedo} disabled={readOnly || !canRedo(history)} title="Redo (Ctrl+Shift+Z / Ctrl+Y)" data-testid="redo">↷ Redo</button>
        <button onClick={() => rf.fitView({ padding: 0.2, duration: 200 })} title="Fit view" data-testid="fit-view">Fit</button>
        <button onClick={() => void save()} disabled={readOnly || busy !== null} title="Save draft (Ctrl+S)" data-testid="save">
          {busy === 'save' ? 'Saving…' : 'Save'}
        </button>
        <button className="primary" onClick={() => void publish()} disabled={readOnly || busy !== null} data-testid="publish">
          {busy === 'publish' ? 'Publishing…' : 'Publish'}
        </button>
      </div>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && (
        <div className="banner banner-info" data-testid="notice">
          <span className="banner-body">{notice}</span>
          <button className="icon-button" onClick={() => setNotice(null)} aria-label="Dismiss">×</button>
        </div>
      )}
      {validation.length > 0 && (
        <div className="banner banner-error problems" data-testid="validation-list">
          <div className="banner-body">
            <strong>{validationTitle ?? 'The flow has problems'}</strong>
            <ul>
              {validation.map((v, i) => (
                <li key={i} data-testid={`validation-error-${i}`}>
                  {v.activityId ? (
                    <button className="link" onClick={() => focusNode(v.activityId!)} data-testid={`validation-goto-${i}`}>
                      {v.activityId}
                    </button>
                  ) : null}
                  {v.input && <code>{v.input}</code>} {v.message}
                </li>
              ))}
            </ul>
            {flowLevelErrors.length > 0 && <span className="muted small">Flow-level problems are not tied to a step.</span>}
          </div>
          <button className="icon-button" onClick={() => setValidation([])} aria-label="Dismiss">×</button>
        </div>
      )}
      {viewing && (
        <div className="banner banner-warning" data-testid="viewing-version">
          <span className="banner-body">
            Viewing published version <strong>v{viewing.version}</strong> (read-only).
          </span>
          <button className="primary" onClick={restoreVersion} data-testid="restore-version">Restore into editor</button>
          <button onClick={() => setViewing(null)} data-testid="close-version">Back to draft</button>
        </div>
      )}
      <div className="editor-body">
        <div className="palette-column">
          {paletteError ? <ErrorBanner error={paletteError} testId="palette-error" /> : null}
          <Palette activities={descriptors} onAdd={addAtCenter} disabled={readOnly} />
        </div>
        <div className="canvas" ref={wrapperRef} onDrop={onDrop} onDragOver={onDragOver} data-testid="canvas">
          <EditorContext.Provider value={decorations}>
            <ReactFlow<ActivityNode>
              nodes={shown.nodes}
              edges={shown.edges}
              nodeTypes={nodeTypes}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={onConnect}
              onNodeDragStop={onNodeDragStop}
              isValidConnection={isValidConnection}
              nodesDraggable={!readOnly}
              nodesConnectable={!readOnly}
              deleteKeyCode={null}
              selectionKeyCode="Shift"
              multiSelectionKeyCode={['Meta', 'Control']}
              connectionRadius={30}
              minZoom={0.2}
              maxZoom={2}
            >
              <Background gap={20} />
              <Controls showInteractive={false} />
              <MiniMap pannable zoomable />
            </ReactFlow>
          </EditorContext.Provider>
          {loaded && shown.nodes.length === 0 && (
            <div className="canvas-empty">Drag a step from the palette to start. The first step becomes the start.</div>
          )}
        </div>
        <aside className="sidebar">
          <div className="tabs" role="tablist">
            <button role="tab" aria-selected={tab === 'properties'} className={tab === 'properties' ? 'active' : ''} onClick={() => setTab('properties')} data-testid="tab-properties">
              Properties
            </button>
            <button role="tab" aria-selected={tab === 'test'} className={tab === 'test' ? 'active' : ''} onClick={() => setTab('test')} data-testid="tab-test">
              Test
            </button>
            <button role="tab" aria-selected={tab === 'versions'} className={tab === 'versions' ? 'active' : ''} onClick={() => setTab('versions')} data-testid="tab-versions">
              Versions
            </button>
          </div>
          <div className="sidebar-body">
            <div hidden={tab !== 'properties'}>
              {selected ? (
                <PropertyPanel
                  key={selected.id}
                  node={selected}
                  descriptor={descriptorMap.get(selected.data.activityType)}
                  edges={shown.edges}
                  nodes={shown.nodes}
                  isStart={shown.start === selected.id}
                  errors={viewing ? [] : validation.filter((v) => v.activityId === selected.id)}
                  variables={variables}
                  integrations={integrations}
                  integrationsError={integrationsError}
                  onRefreshIntegrations={() => {
                    setIntegrationsError(null);
                    setIntegrations(null);
                  }}
                  readOnly={readOnly}
                  onInputChange={(input, value) => updateInput(selected.id, input, value)}
                  onSetStart={() => setStart(selected.id)}
                  onConnect={(outcome, target) => connectOutcome(selected.id, outcome, target)}
                  onDelete={() => deleteNode(selected.id)}
                />
              ) : selectedNodes.length > 1 ? (
                <div className="property-panel" data-testid="multi-selection">
                  <h2>{selectedNodes.length} steps selected</h2>
                  <button className="danger" onClick={deleteSelection} disabled={readOnly} data-testid="delete-selection">Delete selected</button>
                </div>
              ) : (
                <div className="property-panel muted small" data-testid="no-selection">
                  <p>Select a step to edit its properties.</p>
                  <h3>Shortcuts</h3>
                  <ul className="shortcuts">
                    <li><kbd>Ctrl</kbd>+<kbd>Z</kbd> undo, <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>Z</kbd> / <kbd>Ctrl</kbd>+<kbd>Y</kbd> redo</li>
                    <li><kbd>Ctrl</kbd>+<kbd>C</kbd> / <kbd>Ctrl</kbd>+<kbd>V</kbd> copy and paste steps</li>
                    <li><kbd>Delete</kbd> removes the selection, <kbd>Ctrl</kbd>+<kbd>A</kbd> selects all</li>
                    <li><kbd>Ctrl</kbd>+<kbd>S</kbd> saves; <kbd>Shift</kbd>+drag box-selects</li>
                  </ul>
                </div>
              )}
            </div>
            <div hidden={tab !== 'test'}>
              <TestPanel
                run={runTest}
                onJournal={(journal, status) => setRun({ journal, status })}
                onRestart={() => setRun({ journal: [] })}
                onFocusStep={(id) => focusNode(id, false)}
              />
            </div>
            <div hidden={tab !== 'versions'}>
              <VersionsPanel
                flowId={flowId}
                publishedVersion={publishedVersion}
                viewing={viewing?.version ?? null}
                onView={(v) => void viewVersion(v)}
                refreshKey={versionsKey}
              />
            </div>
          </div>
        </aside>
      </div>
    </div>
  );
}
