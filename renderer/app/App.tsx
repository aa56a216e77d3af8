/**
 * The workbench: activity bar and side bar on the left, the editor with the
 * terminal panel below it, the status bar along the bottom. What is open and
 * how big lives in WorkbenchLayout; buttons change it through commands, as
 * the keyboard shortcuts do.
 */
import './App.css';
import { ErrorBoundary } from '../shared/components/ErrorBoundary.js';
import { Sash } from '../shared/components/Sash.js';
import { useWindowSize } from '../shared/hooks/useWindowSize.js';
import { clampSize } from '../shared/layout/sizes.js';
import { useObservable } from '../shared/util/Observable.js';
import { EditorArea } from '../features/editor/EditorArea.js';
import type { TerminalSession } from '../features/terminal/TerminalSession.js';
import { ActivityBar } from './ActivityBar.js';
import { BottomPanel } from './BottomPanel.js';
import {
  ACTIVITY_BAR_WIDTH_PX,
  EDITOR_MIN_HEIGHT_PX,
  EDITOR_MIN_WIDTH_PX,
  PANEL_DEFAULT_HEIGHT_PX,
  PANEL_MIN_HEIGHT_PX,
  SIDEBAR_DEFAULT_WIDTH_PX,
  SIDEBAR_MIN_WIDTH_PX,
  STATUS_BAR_HEIGHT_PX,
} from './WorkbenchLayout.js';
import { SideBar } from './SideBar.js';
import { HostNotice } from './HostNotice.js';
import { StatusBar } from './StatusBar.js';
import { VIEWS } from './views.js';
import { WorkbenchCommands } from './WorkbenchCommands.js';
import { useWorkbench } from './WorkbenchProvider.js';
import { DialogHost } from '../shared/dialogs/DialogHost.js';
import { NotificationArea } from '../shared/notifications/NotificationArea.js';

export function App({ terminal }: { terminal: TerminalSession }) {
  const workbench = useWorkbench();
  const { layout, commands } = workbench;
  const { width: windowWidth, height: windowHeight } = useWindowSize();
  const activeView = useObservable(layout.activeView);
  const sidebarVisible = useObservable(layout.sidebarVisible);
  const sidebarWidth = useObservable(layout.sidebarWidth);
  const panelVisible = useObservable(layout.panelVisible);
  const panelHeight = useObservable(layout.panelHeight);
  const panelMaximized = useObservable(layout.panelMaximized);

  const sidebarLimits = { min: SIDEBAR_MIN_WIDTH_PX, max: windowWidth - ACTIVITY_BAR_WIDTH_PX - EDITOR_MIN_WIDTH_PX };
  const panelLimits = { min: PANEL_MIN_HEIGHT_PX, max: windowHeight - STATUS_BAR_HEIGHT_PX - EDITOR_MIN_HEIGHT_PX };
  const shownSidebarWidth = clampSize(sidebarWidth, sidebarLimits);
  const shownPanelHeight = clampSize(panelHeight, panelLimits);
  const view = VIEWS.find((v) => v.id === activeView) ?? VIEWS[0]!;

  return (
    <div className="workbench" data-testid="workbench">
      <HostNotice />
      <div className="workbench-body">
        <ActivityBar activeView={activeView} sidebarVisible={sidebarVisible} onSelect={(id) => void commands.execute(WorkbenchCommands.selectView, { view: id })} />
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
              onResize={(width) => layout.sidebarWidth.set(width)}
              onReset={() => layout.sidebarWidth.set(SIDEBAR_DEFAULT_WIDTH_PX)}
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
              onResize={(height) => layout.panelHeight.set(height)}
              onReset={() => layout.panelHeight.set(PANEL_DEFAULT_HEIGHT_PX)}
            />
          )}
          <BottomPanel
            session={terminal}
            height={panelMaximized ? null : shownPanelHeight}
            maximized={panelMaximized}
            hidden={!panelVisible}
          />
        </main>
      </div>
      <StatusBar panelVisible={panelVisible} />
      <NotificationArea notifications={workbench.notifications} jobs={workbench.jobs} />
      <DialogHost dialogs={workbench.dialogs} />
    </div>
  );
}
