/**
 * Bootstrap: connect to the host, create the long-lived services (editor
 * documents, terminal, layout, the workbench), let every feature register its
 * commands, install the keybindings, and render the workbench inside an
 * error boundary.
 */
import '../shared/theme/base.css';
import '../shared/theme/controls.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BLINK_EXAMPLE } from '../features/editor/blinkExample.js';
import { EditorDocuments } from '../features/editor/EditorDocuments.js';
import { EditorDocumentsProvider } from '../features/editor/EditorDocumentsProvider.js';
import { TerminalSession } from '../features/terminal/TerminalSession.js';
import { ErrorBoundary } from '../shared/components/ErrorBoundary.js';
import { paletteFor } from '../shared/theme/palette.js';
import { ThemeProvider } from '../shared/theme/ThemeProvider.js';
import { App } from './App.js';
import { KeybindingService } from './commands/KeybindingService.js';
import { KEYBINDINGS } from './commands/keybindings.js';
import { installContributions } from './contributions.js';
import { HostConnection } from './HostConnection.js';
import { HostProvider } from './HostProvider.js';
import { installDebugSurface } from './debugSurface.js';
import { WorkbenchLayout } from './WorkbenchLayout.js';
import { DEFAULT_VIEW, isViewId } from './views.js';
import { Workbench } from './Workbench.js';
import { WorkbenchProvider } from './WorkbenchProvider.js';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element to render Pinwheel into.');

const connection = HostConnection.forWindow(window);

const documents = new EditorDocuments();
const welcome = documents.open({ name: 'main.py', content: BLINK_EXAMPLE, origin: 'untitled' });

const initialScheme = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
const terminal = new TerminalSession(paletteFor(initialScheme));
const layout = new WorkbenchLayout(DEFAULT_VIEW, isViewId);
const workbench = new Workbench(connection, documents, terminal, layout);
installContributions(workbench);
new KeybindingService(KEYBINDINGS, workbench.commands, workbench.context).install(window);
workbench.startDrafts(welcome.id);
installDebugSurface(window, workbench);
connection.start();

// Unsaved work: warn before the page goes, and hand the latest drafts to the host on the way out.
window.addEventListener('beforeunload', (e) => {
  if (!documents.all.some((d) => d.dirty)) return;
  e.preventDefault();
  // Chromium still wants returnValue set to show the prompt.
  e.returnValue = '';
});
// A page kept in the back/forward cache may come back; only a real unload ends the connection.
window.addEventListener('pagehide', (e) => {
  void workbench.drafts.flush();
  if (!e.persisted) connection.dispose();
});

createRoot(rootElement).render(
  <StrictMode>
    <ThemeProvider>
      <ErrorBoundary region="Pinwheel">
        <HostProvider connection={connection}>
          <WorkbenchProvider workbench={workbench}>
            <EditorDocumentsProvider documents={documents}>
              <App terminal={terminal} />
            </EditorDocumentsProvider>
          </WorkbenchProvider>
        </HostProvider>
      </ErrorBoundary>
    </ThemeProvider>
  </StrictMode>,
);
