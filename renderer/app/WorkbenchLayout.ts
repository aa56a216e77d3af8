/**
 * What the workbench shows and how big: the side bar's view, whether the
 * side bar and the panel are open, their sizes, and a maximized panel. Kept
 * outside React so commands (a shortcut, a status bar button) change it the
 * same way; sizes and what is open are remembered across reloads.
 */
import { Observable } from '../shared/util/Observable.js';
import { PersistedValue, isBoolean, isNumber } from '../shared/util/PersistedValue.js';

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

export const PANEL_TABS = ['terminal', 'mqtt'] as const;
export type PanelTab = (typeof PANEL_TABS)[number];
const isPanelTab = (value: unknown): value is PanelTab => (PANEL_TABS as readonly unknown[]).includes(value);

export class WorkbenchLayout<ViewId extends string = string> {
  readonly activeView: PersistedValue<ViewId>;
  readonly sidebarVisible = new PersistedValue('layout.sidebarVisible', true, isBoolean);
  readonly sidebarWidth = new PersistedValue('layout.sidebarWidth', SIDEBAR_DEFAULT_WIDTH_PX, isNumber);
  readonly panelVisible = new PersistedValue('layout.panelVisible', true, isBoolean);
  readonly panelHeight = new PersistedValue('layout.panelHeight', PANEL_DEFAULT_HEIGHT_PX, isNumber);
  /** The panel's tab: the board's terminal, or the MQTT message of the topic picked in the explorer. */
  readonly panelTab = new PersistedValue<PanelTab>('layout.panelTab', 'terminal', isPanelTab);
  /** Not remembered: a reload starts with the editor visible. */
  readonly panelMaximized = new Observable(false);
  /** The plotter beside the terminal (numbers the program prints, drawn live). */
  readonly plotterVisible = new PersistedValue('layout.plotterVisible', false, isBoolean);

  constructor(defaultView: ViewId, isViewId: (value: unknown) => value is ViewId) {
    this.activeView = new PersistedValue<ViewId>('layout.view', defaultView, isViewId);
  }

  /** Opens `view` in the side bar; choosing the view already open hides the side bar instead. */
  selectView(view: ViewId): void {
    if (view === this.activeView.get() && this.sidebarVisible.get()) {
      this.sidebarVisible.set(false);
      return;
    }
    this.activeView.set(view);
    this.sidebarVisible.set(true);
  }

  toggleSidebar(): void {
    this.sidebarVisible.set(!this.sidebarVisible.get());
  }

  /** Shows or hides the panel; returns whether it is now shown. */
  togglePanel(): boolean {
    const visible = this.panelVisible.get();
    if (visible) this.panelMaximized.set(false);
    this.panelVisible.set(!visible);
    return !visible;
  }

  /** Opens the panel on `tab`. */
  showPanelTab(tab: PanelTab): void {
    this.panelTab.set(tab);
    this.panelVisible.set(true);
  }

  hidePanel(): void {
    this.panelMaximized.set(false);
    this.panelVisible.set(false);
  }

  toggleMaximizedPanel(): void {
    this.panelMaximized.set(!this.panelMaximized.get());
  }
}
