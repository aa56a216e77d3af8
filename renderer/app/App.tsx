/**
 * The workbench: activity bar and side bar on the left, the editor with the
 * terminal panel below it, the status bar along the bottom. Sizes and what is
 * open are remembered across reloads.
 */
import { useEffect, useRef, useState } from 'react';
import { ErrorBoundary } from '../shared/components/ErrorBoundary.js';
import { Sash } from '../shared/components/Sash.js';
import { isBoolean, isNumber, usePersistentState } from '../shared/hooks/usePersistentState.js';
import { useWindowSize } from '../shared/hooks/useWindowSize.js';
import { clampSize } from '../shared/layout/sizes.js';
import { EditorArea } from '../features/editor/EditorArea.js';
import type { TerminalSession } from '../features/terminal/TerminalSession.js';
import { ActivityBar } from './ActivityBar.js';
import { BottomPanel } from './BottomPanel.js';
import { SideBar } from './SideBar.js';
import { StatusBar } from './StatusBar.js';
import { VIEWS, isViewId, type ViewId } from './views.js';
import { useWorkbench } from './WorkbenchProvider.js';
import { DialogHost } from '../shared/dialogs/DialogHost.js';
import { NotificationArea } from '../shared/notifications/NotificationArea.js';

export const ACTIVITY_BAR_WIDTH_PX = 48;
export const STATUS_BAR_HEIGHT_PX = 24;
export const SIDEBAR_DEFAULT_WIDTH_PX = 280;
export const SIDEBAR_MIN_WIDTH_PX = 200;
/** The editor keeps at least this much width, so a wide side bar cannot squeeze it away. */
export const EDITOR_MIN_WIDTH_PX = 320;
export const PANEL_DEFAULT_HEIGHT_PX = 240;
/** Header plus about three terminal lines. */
export const PANEL_MIN_HEIGHT_PX = 96;
export const EDITOR_MIN_HEIGHT_PX = 120;

export function App({ terminal }: { terminal: TerminalSession }) {
  const workbench = useWorkbench();
  const { width: windowWidth, height: windowHeight } = useWindowSize();
  const [activeView, setActiveView] = usePersistentState<ViewId>('layout.view', 'files', isViewId);
  const [sidebarVisible, setSidebarVisible] = usePersistentState('layout.sidebarVisible', true, isBoolean);
  const [sidebarWidth, setSidebarWidth] = usePersistentState('layout.sidebarWidth', SIDEBAR_DEFAULT_WIDTH_PX, isNumber);
  const [panelVisible, setPanelVisible] = usePersistentState('layout.panelVisible', true, isBoolean);
  const [panelHeight, setPanelHeight] = usePersistentState('layout.panelHeight', PANEL_DEFAULT_HEIGHT_PX, isNumber);
  const [panelMaximized, setPanelMaximized] = useState(false);

  const sidebarLimits = { min: SIDEBAR_MIN_WIDTH_PX, max: windowWidth - ACTIVITY_BAR_WIDTH_PX - EDITOR_MIN_WIDTH_PX };
  const panelLimits = { min: PANEL_MIN_HEIGHT_PX, max: windowHeight - STATUS_BAR_HEIGHT_PX - EDITOR_MIN_HEIGHT_PX };
  const shownSidebarWidth = clampSize(sidebarWidth, sidebarLimits);
  const shownPanelHeight = clampSize(panelHeight, panelLimits);
  const view = VIEWS.find((v) => v.id === activeView) ?? VIEWS[0]!;

  const selectView = (id: ViewId) => {
    if (id === activeView && sidebarVisible) {
      setSidebarVisible(false);
      return;
    }
    setActiveView(id);
    setSidebarVisible(true);
  };

  const togglePanel = () => {
    if (panelVisible) setPanelMaximized(false);
    setPanelVisible(!panelVisible);
    if (!panelVisible) requestAnimationFrame(() => terminal.focus());
  };

  // Read through a ref so the listener is installed once yet always sees current state.
  const shortcuts = useRef({ toggleSidebar: () => {}, togglePanel: () => {} });
  shortcuts.current = { toggleSidebar: () => setSidebarVisible(!sidebarVisible), togglePanel };
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod || e.altKey || e.shiftKey) return;
      if (e.key === 'b' || e.key === 'B') shortcuts.current.toggleSidebar();
      else if (e.key === '`' || e.code === 'Backquote') shortcuts.current.togglePanel();
      else return;
      // Capture phase plus stopPropagation: Monaco and xterm would otherwise take these keys first.
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);

  return (
    <div className="workbench" data-testid="workbench">
      <div className="workbench-body">
        <ActivityBar activeView={activeView} sidebarVisible={sidebarVisible} onSelect={selectView} />
        {sidebarVisible && (
          <>
            <SideBar view={view} width={shownSidebarWidth} />
            <Sash
              orientation="vertical"
              direction={1}
              size={shownSidebarWidth}
              limits={sidebarLimits}
              label="Resize side bar"
              testId="sidebar-sash"
              onResize={setSidebarWidth}
              onReset={() => setSidebarWidth(SIDEBAR_DEFAULT_WIDTH_PX)}
            />
          </>
        )}
        <main className="workbench-main">
          {!(panelVisible && panelMaximized) && (
            <ErrorBoundary region="The editor">
              <EditorArea />
            </ErrorBoundary>
          )}
          {panelVisible && !panelMaximized && (
            <Sash
              orientation="horizontal"
              direction={-1}
              size={shownPanelHeight}
              limits={panelLimits}
              label="Resize panel"
              testId="panel-sash"
              onResize={setPanelHeight}
              onReset={() => setPanelHeight(PANEL_DEFAULT_HEIGHT_PX)}
            />
          )}
          <BottomPanel
            session={terminal}
            height={panelMaximized ? null : shownPanelHeight}
            maximized={panelMaximized}
            hidden={!panelVisible}
            onToggleMaximized={() => setPanelMaximized(!panelMaximized)}
            onClose={() => {
              setPanelMaximized(false);
              setPanelVisible(false);
            }}
          />
        </main>
      </div>
      <StatusBar panelVisible={panelVisible} onTogglePanel={togglePanel} />
      <NotificationArea notifications={workbench.notifications} jobs={workbench.jobs} />
      <DialogHost dialogs={workbench.dialogs} />
    </div>
  );
}
