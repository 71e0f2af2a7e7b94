import { createContext, useContext } from 'react';
import type { ActivityDescriptor, ProblemFieldError } from '../api/types';
import type { StepState } from '../flow/annotations';

/** Display-only facts the canvas nodes need but which are not part of the persisted graph. */
export interface EditorDecorations {
  descriptors: Map<string, ActivityDescriptor>;
  start: string | null;
  errors: Map<string, ProblemFieldError[]>;
  steps: Map<string, StepState>;
  /** Outcomes an unknown activity type still uses (from its connections), so its edges stay visible. */
  fallbackOutcomes: Map<string, string[]>;
}

export const EditorContext = createContext<EditorDecorations>({
  descriptors: new Map(),
  start: null,
  errors: new Map(),
  steps: new Map(),
  fallbackOutcomes: new Map(),
});

export const useDecorations = () => useContext(EditorContext);
