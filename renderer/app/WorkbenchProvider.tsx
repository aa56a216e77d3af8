import { createContext, useContext, type ReactNode } from 'react';
import type { Workbench } from './Workbench.js';

const WorkbenchContext = createContext<Workbench | null>(null);

export function WorkbenchProvider({ workbench, children }: { workbench: Workbench; children: ReactNode }) {
  return <WorkbenchContext.Provider value={workbench}>{children}</WorkbenchContext.Provider>;
}

/** The workbench's services: the API, the board, notifications, dialogs, and `commands` to run any action by id. */
export function useWorkbench(): Workbench {
  const workbench = useContext(WorkbenchContext);
  if (!workbench) throw new Error('useWorkbench() needs a <WorkbenchProvider> above it.');
  return workbench;
}
