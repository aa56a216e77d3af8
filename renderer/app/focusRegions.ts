/**
 * F6 and Shift+F6 move the keyboard between the parts of the window (activity
 * bar, side bar, editor, panel), as in VS Code: the way out of the editor and
 * the terminal, which keep Tab for themselves. A part gets back the element
 * that last had the focus in it, else its natural target (Monaco's text, the
 * terminal, a tree's current row), else its first focusable element.
 */

/** In F6 order; each is found by its data-testid. */
const REGIONS = ['activity-bar', 'sidebar', 'editor', 'panel'] as const;

const FOCUSABLE = 'textarea, input, select, button:not([disabled]), [tabindex="0"], a[href]';
/** What a part's focus goes to when nothing in it had the focus yet, best first. */
const PREFERRED: Readonly<Record<string, readonly string[]>> = {
  editor: ['.monaco-editor textarea'],
  panel: ['.xterm-helper-textarea'],
  sidebar: ['[role=tree] [tabindex="0"]', FOCUSABLE],
  'activity-bar': ['[aria-selected=true]', 'button'],
};

export class FocusRegions {
  private readonly lastFocused = new Map<string, HTMLElement>();
  private readonly onFocusIn = (e: FocusEvent) => {
    const target = e.target as HTMLElement;
    const region = this.regionOf(target);
    if (region) this.lastFocused.set(region.dataset.testid!, target);
  };

  constructor(private readonly doc: Document) {
    doc.addEventListener('focusin', this.onFocusIn);
  }

  dispose(): void {
    this.doc.removeEventListener('focusin', this.onFocusIn);
  }

  /** Moves the focus to the next (or previous) part that is shown. */
  cycle(direction: 1 | -1): void {
    const shown = REGIONS.map((id) => this.doc.querySelector<HTMLElement>(`[data-testid="${id}"]`)).filter((el): el is HTMLElement => el !== null && isShown(el));
    if (shown.length === 0) return;
    const current = this.regionOf(this.doc.activeElement as HTMLElement | null);
    const at = current ? shown.indexOf(current) : -1;
    const next = shown[(at + direction + shown.length) % shown.length]!;
    this.focusRegion(next);
  }

  private focusRegion(region: HTMLElement): void {
    const id = region.dataset.testid!;
    const remembered = this.lastFocused.get(id);
    const candidates = [remembered, ...(PREFERRED[id] ?? [FOCUSABLE]).flatMap((selector) => Array.from(region.querySelectorAll<HTMLElement>(selector)))];
    for (const el of candidates) {
      if (!el || !region.contains(el) || !isShown(el)) continue;
      el.focus();
      if (this.doc.activeElement === el) return;
    }
  }

  private regionOf(el: HTMLElement | null): HTMLElement | null {
    return el?.closest<HTMLElement>(REGIONS.map((id) => `[data-testid="${id}"]`).join(', ')) ?? null;
  }
}

/** Laid out and not hidden (xterm's and Monaco's textareas are tiny but laid out). */
function isShown(el: HTMLElement): boolean {
  return !el.closest('[hidden]') && el.getClientRects().length > 0;
}
