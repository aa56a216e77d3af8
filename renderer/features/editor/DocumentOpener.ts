/**
 * Opening files in the editor: from the board, from the project folder, or
 * at the line a traceback names. A file already open is brought forward
 * rather than read again; for board files that means the same path on the
 * same board (another board's /main.py opens in a tab of its own).
 */
import type { Workbench } from '../../app/Workbench.js';
import { missingBoardFile } from '../files/missingBoardFile.js';
import { boardPathOf } from '../terminal/tracebackLinks.js';
import { baseName } from '../../../electron/common/util/slashPath.js';
import { connectedBoard } from './boardIdentity.js';

export class DocumentOpener {
  /** The document whose code is running (Run), for `<stdin>` traceback links. */
  private lastRunDocId: string | null = null;
  /** The names buffers were run under, and their documents: Run has the board compile a buffer under its name. */
  private readonly runNames = new Map<string, string>();

  constructor(private readonly workbench: Workbench) {}

  private get documents() {
    return this.workbench.documents;
  }

  /** Remembers which buffer was sent to the board, so its traceback lines lead back to it. */
  noteRun(docId: string): void {
    this.lastRunDocId = docId;
    // board.run is called with the buffer's name, so its traceback says File "<name>".
    const doc = this.documents.get(docId);
    if (doc) this.runNames.set(doc.name, docId);
  }

  async openBoardFile(path: string, line?: number): Promise<void> {
    const { workbench } = this;
    // The board the file is read from: taken before the read, which goes to the board connected now.
    const board = connectedBoard(workbench.board.status.get());
    const open = this.documents.find('board', path, board?.path);
    if (open) {
      if (line) this.documents.reveal(open.id, line);
      else this.documents.activate(open.id);
      return;
    }
    const file = await workbench.attempt(
      `Could not open ${path} from the board`,
      () => workbench.jobs.run(`Reading ${path} from the board`, (job) => workbench.api.call('files.read', { path, jobId: job.id }, { signal: job.signal, timeoutMs: 0 })),
      missingBoardFile(workbench),
    );
    if (!file) return;
    const doc = this.documents.open({ name: baseName(path), content: decodeUtf8(file.data), origin: 'board', path, ...(board ? { board } : {}) });
    if (line) this.documents.reveal(doc.id, line);
  }

  async openLocalFile(path: string): Promise<void> {
    const open = this.documents.find('local', path);
    if (open) {
      this.documents.activate(open.id);
      return;
    }
    const file = await this.workbench.attempt(`Could not open ${path}`, () => this.workbench.api.call('workspace.readFile', { path }));
    if (!file) return;
    this.documents.open({ name: baseName(path), content: decodeUtf8(file.data), origin: 'local', path });
  }

  /** A traceback link was clicked: the open tab for that file (or the buffer that was run), else the file from the board. */
  async openTracebackLocation(file: string, line: number): Promise<void> {
    const { workbench } = this;
    // A buffer that was run under this name (and is still open) is what the traceback means, saved or not.
    const runId = this.runNames.get(file);
    const ranUnderName = runId ? this.documents.get(runId) : undefined;
    if (ranUnderName) {
      this.documents.reveal(ranUnderName.id, line);
      return;
    }
    if (runId) this.runNames.delete(file);
    const boardPath = boardPathOf(file);
    if (!boardPath) {
      const ran = this.lastRunDocId ? this.documents.get(this.lastRunDocId) : undefined;
      if (ran) this.documents.reveal(ran.id, line);
      else workbench.notifications.show('info', `${file} is code that was sent to the board`, 'The buffer it came from is no longer open.');
      return;
    }
    // Tracebacks come from the connected board: its file, not another board's of the same name.
    const open = this.documents.find('board', boardPath, connectedBoard(workbench.board.status.get())?.path);
    if (open) {
      this.documents.reveal(open.id, line);
      return;
    }
    const unavailable = workbench.boardUnavailable();
    if (unavailable) {
      workbench.notifications.show('error', `Could not open ${boardPath}`, unavailable);
      return;
    }
    await this.openBoardFile(boardPath, line);
  }
}

/** A file's text; bytes that are not UTF-8 become U+FFFD rather than failing the open. */
function decodeUtf8(data: Uint8Array): string {
  return new TextDecoder('utf-8').decode(data);
}
