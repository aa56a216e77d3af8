/**
 * Bootstrap: connect to the host, create the long-lived services (editor
 * documents, terminal), and render the workbench inside an error boundary.
 */
import '../shared/theme/base.css';
import '../shared/theme/workbench.css';
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
import { HostConnection } from './HostConnection.js';
import { HostProvider } from './HostProvider.js';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element to render Pinwheel into.');

const connection = HostConnection.forWindow(window);
connection.start();
// A page kept in the back/forward cache may come back; only a real unload ends the connection.
window.addEventListener('pagehide', (e) => {
  if (!e.persisted) connection.dispose();
});

const documents = new EditorDocuments();
documents.open({ name: 'main.py', content: BLINK_EXAMPLE, origin: 'untitled' });

const initialScheme = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
const terminal = new TerminalSession(paletteFor(initialScheme));

createRoot(rootElement).render(
  <StrictMode>
    <ThemeProvider>
      <ErrorBoundary region="Pinwheel">
        <HostProvider connection={connection}>
          <EditorDocumentsProvider documents={documents}>
            <App terminal={terminal} />
          </EditorDocumentsProvider>
        </HostProvider>
      </ErrorBoundary>
    </ThemeProvider>
  </StrictMode>,
);
