import './SideBar.css';
import { ErrorBoundary } from '../shared/components/ErrorBoundary.js';
import type { ViewDescriptor } from './views.js';

export function SideBar({ view, width }: { view: ViewDescriptor; width: number }) {
  const View = view.component;
  return (
    <aside
      id="sidebar"
      className="sidebar"
      data-testid="sidebar"
      data-view={view.id}
      role="tabpanel"
      aria-label={view.title}
      style={{ width }}
    >
      <header className="sidebar-header">
        <h2 className="sidebar-title">{view.title}</h2>
      </header>
      <div className="sidebar-content">
        {/* Keyed by view so a crash in one view is forgotten when the person switches away. */}
        <ErrorBoundary key={view.id} region={`The ${view.title} view`}>
          <View />
        </ErrorBoundary>
      </div>
    </aside>
  );
}
