/**
 * Installing MicroPython on an ESP32 or ESP8266: pick the port, the board
 * (the catalog's newest release) or a firmware file, and Flash. The host
 * checks the firmware against the chip before anything is erased, writes,
 * verifies and resets the chip; progress and Cancel are the job card's.
 */
import './FlashView.css';
import { useMemo, useState } from 'react';
import type { CatalogBoardDto, ChipInfoDto, FlashResultDto, Uf2ResultDto } from '../../../electron/common/api/contract.js';
import { useHostState } from '../../app/HostProvider.js';
import { useApiQuery } from '../../app/useApiQuery.js';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { useObservable } from '../../shared/util/Observable.js';
import { errorMessage } from '../../../electron/common/util/format.js';
import { BoardCommands } from '../boards/BoardCommands.js';
import { usePorts } from '../boards/usePorts.js';
import { Uf2DrivePicker, useUf2Drives } from './Uf2DrivePicker.js';

/** The board picked when nothing else is known: the most common one. */
const DEFAULT_BOARD = 'ESP32_GENERIC';
const OTHER_PORT = '';

/** The catalog's board for the chip esptool detected ("ESP32-S3" -> the suggested esp32s3 board). */
export function boardForChip(boards: readonly CatalogBoardDto[], family: string): CatalogBoardDto | undefined {
  const chip = family.toLowerCase().replace(/-/g, '');
  const forChip = boards.filter((b) => b.chip === chip);
  return forChip.find((b) => b.suggested) ?? forChip[0];
}

/** "20260824" as "2026-08-24". */
function formatDate(yyyymmdd: string): string {
  return yyyymmdd.replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3');
}

function formatMs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function FlashView() {
  const workbench = useWorkbench();
  const hostUp = useHostState().status === 'connected';
  const ports = usePorts().data ?? [];
  const status = useObservable(workbench.board.status);
  // The board connected over serial is the one to flash unless another is chosen ("Update MicroPython" on its card).
  const connected = status.state === 'connected' && status.port?.kind === 'serial' ? status.port : undefined;
  const listed = ports.filter((p) => p.kind === 'serial');
  const serialPorts = connected && !listed.some((p) => p.path === connected.path) ? [connected, ...listed] : listed;
  const boards = useApiQuery('flash.catalog', {}).data?.boards ?? [];
  const [port, setPort] = useState<string | undefined>(undefined);
  const [otherPort, setOtherPort] = useState('');
  /** The board and build the person chose; undefined: the one suggested for the port. */
  const [chosenBoard, setChosenBoard] = useState<{ id: string; variant: string } | undefined>(undefined);
  const [file, setFile] = useState('');
  const [eraseAll, setEraseAll] = useState(false);
  const [busy, setBusy] = useState(false);
  const [chip, setChip] = useState<ChipInfoDto | undefined>(undefined);
  /** The last flash's result, with the port it was asked for (the chip may have come back on another). */
  const [result, setResult] = useState<(FlashResultDto & { askedPort: string }) | undefined>(undefined);
  const [uf2Result, setUf2Result] = useState<Uf2ResultDto | undefined>(undefined);
  const [drive, setDrive] = useState<string | undefined>(undefined);
  /** Why the last flash or detect failed, kept in the view beside Try again (the notification fades). */
  const [failure, setFailure] = useState<{ action: 'flash' | 'detect'; message: string } | undefined>(undefined);
  /** Releases "Check for newer" found for the board shown, newest first; undefined until asked. */
  const [newer, setNewer] = useState<{ board: string; releases: Array<{ version: string; date: string }> } | undefined>(undefined);
  const [release, setRelease] = useState('');

  const shownPort = port ?? connected?.path ?? serialPorts[0]?.path ?? OTHER_PORT;
  const chosenPort = shownPort === OTHER_PORT ? otherPort.trim() : shownPort;
  // What the MicroPython on the port calls itself, when it is the connected board: its build is the one to update to.
  const machine = connected?.path === chosenPort ? status.info?.machine : undefined;
  const suggestion = useApiQuery('flash.suggest', { ...(chosenPort ? { port: chosenPort } : {}), ...(machine ? { machine } : {}) }).data ?? undefined;
  const boardId = chosenBoard?.id ?? suggestion?.board ?? DEFAULT_BOARD;
  const variant = chosenBoard?.variant ?? (suggestion?.board === boardId ? (suggestion.variant ?? '') : '');
  const setBoardId = (id: string) => setChosenBoard({ id, variant: '' });
  const setVariant = (v: string) => setChosenBoard({ id: boardId, variant: v });
  const board: CatalogBoardDto | undefined = useMemo(() => boards.find((b) => b.id === boardId), [boards, boardId]);
  const usingFile = file.trim() !== '';
  // A UF2 board's firmware is copied onto its bootloader drive; the port is where it comes back.
  const uf2Mode = usingFile ? /\.uf2$/i.test(file.trim()) : board?.fileType === 'uf2';
  const drives = useUf2Drives(uf2Mode);
  const chosenDrive = drives.find((d) => d.path === drive)?.path ?? drives[0]?.path ?? '';
  const why = !hostUp
    ? 'Pinwheel is not connected to its host.'
    : uf2Mode
      ? chosenDrive === ''
        ? 'Put the board into its bootloader first: its drive shows up above.'
        : null
      : chosenPort === ''
        ? 'Choose the port of the board to flash.'
        : null;

  const detect = async () => {
    setBusy(true);
    setChip(undefined);
    setFailure(undefined);
    const info = await workbench.attempt(
      'Could not read the chip',
      () => workbench.jobs.run(`Reading the chip on ${chosenPort}`, (job) => workbench.api.call('flash.info', { port: chosenPort }, { signal: job.signal, timeoutMs: 0 })),
      { onError: (err) => setFailure({ action: 'detect', message: errorMessage(err) }), hint: () => null },
    );
    setChip(info);
    // The board list follows the chip on the port, unless it already names a board for that chip.
    if (info && board && board.chip !== boardForChip(boards, info.family)?.chip) {
      const match = boardForChip(boards, info.family);
      if (match) setBoardId(match.id);
    }
    setBusy(false);
  };

  const checkNewer = async () => {
    setBusy(true);
    const found = await workbench.attempt('Could not check for newer MicroPython', () => workbench.api.call('flash.newer', { board: boardId }, { timeoutMs: 30_000 }));
    if (found) {
      setNewer({ board: boardId, releases: found.newer });
      setRelease('');
    }
    setBusy(false);
  };
  const releases = newer?.board === boardId ? newer.releases : undefined;
  const chosenRelease = releases?.find((r) => r.version === release);

  /**
   * The REPL of the board just flashed: a connection that lent its port (or
   * lost it to the bootloader) comes back to it by itself; otherwise connect,
   * so the new firmware's prompt is there.
   */
  const connectAfterFlash = (flashedPort: string) => {
    const now = workbench.board.status.get();
    if (now.port?.path === flashedPort && (now.state !== 'disconnected' || now.reconnecting)) return;
    void workbench.commands.execute(BoardCommands.connect, { port: flashedPort });
  };

  const flash = async () => {
    setBusy(true);
    setResult(undefined);
    setUf2Result(undefined);
    setChip(undefined);
    setFailure(undefined);
    const source = usingFile
      ? { kind: 'file' as const, path: file.trim() }
      : { kind: 'catalog' as const, board: boardId, ...(variant ? { variant } : {}), ...(chosenRelease ? { release: chosenRelease } : {}) };
    const what = usingFile ? file.trim() : `${board?.name ?? boardId} ${chosenRelease?.version ?? board?.latest.version ?? ''}`.trim();
    if (uf2Mode) {
      const copied = await workbench.attempt(
        `Could not flash ${what}`,
        () =>
          workbench.jobs.run(`Copying ${what} to ${chosenDrive}`, (job) =>
            workbench.api.call(
              'flash.copyUf2',
              { drive: chosenDrive, source, ...(chosenPort ? { returnPort: chosenPort } : {}), jobId: job.id },
              { signal: job.signal, timeoutMs: 0 },
            ),
          ),
        { onError: (err) => setFailure({ action: 'flash', message: errorMessage(err) }), hint: () => null },
      );
      if (copied) {
        setUf2Result(copied);
        if (copied.port) connectAfterFlash(copied.port);
      }
      setBusy(false);
      return;
    }
    const done = await workbench.attempt(
      `Could not flash ${what}`,
      () =>
        workbench.jobs.run(`Flashing ${what} on ${chosenPort}`, (job) =>
          workbench.api.call('flash.write', { port: chosenPort, source, eraseAll, jobId: job.id }, { signal: job.signal, timeoutMs: 0 }),
        ),
      { onError: (err) => setFailure({ action: 'flash', message: errorMessage(err) }), hint: () => null },
    );
    if (done) {
      setResult({ ...done, askedPort: chosenPort });
      setChip(done.chip);
      if (done.banner) workbench.terminal.note(`Flashed ${done.port}: ${done.banner}`);
      if (done.banner) connectAfterFlash(done.port);
    }
    setBusy(false);
  };

  return (
    <div className="view flash-view" data-testid="flash-view">
      <form
        className="flash-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!why && !busy) void flash();
        }}
      >
        <label className="flash-field">
          <span>Port</span>
          <select className="select-input" aria-label="Port" value={shownPort} onChange={(e) => (setPort(e.target.value), setChosenBoard(undefined))} disabled={busy}>
            {serialPorts.map((p) => (
              <option key={p.path} value={p.path}>
                {p.friendlyName}
              </option>
            ))}
            <option value={OTHER_PORT}>Other port…</option>
          </select>
        </label>
        {shownPort === OTHER_PORT && (
          <label className="flash-field">
            <span>Port path</span>
            <input className="text-input" aria-label="Port path" value={otherPort} placeholder="/dev/ttyUSB0" spellCheck={false} onChange={(e) => setOtherPort(e.target.value)} disabled={busy} />
          </label>
        )}
        <label className="flash-field">
          <span>Board</span>
          <select className="select-input" aria-label="Board" value={boardId} onChange={(e) => setBoardId(e.target.value)} disabled={busy || usingFile}>
            {boards.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </label>
        {board && board.variants.length > 0 && (
          <label className="flash-field">
            <span>Build</span>
            <select className="select-input" aria-label="Build" value={variant} onChange={(e) => setVariant(e.target.value)} disabled={busy || usingFile}>
              <option value="">Standard</option>
              {board.variants.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {uf2Mode && <Uf2DrivePicker drives={drives} value={chosenDrive} onChange={setDrive} busy={busy} />}
        {board && !usingFile && releases && releases.length > 0 && (
          <label className="flash-field">
            <span>Release</span>
            <select className="select-input" aria-label="Release" value={release} onChange={(e) => setRelease(e.target.value)} disabled={busy}>
              <option value="">{board.latest.version} (the catalog's)</option>
              {releases.map((r) => (
                <option key={r.version} value={r.version}>
                  {r.version} ({formatDate(r.date)})
                </option>
              ))}
            </select>
          </label>
        )}
        {board && !usingFile && (
          <p className="flash-note">
            {!chosenBoard && suggestion?.board === boardId && <>Picked for this port: {suggestion.reason}. </>}
            MicroPython {chosenRelease?.version ?? board.latest.version} ({formatDate(chosenRelease?.date ?? board.latest.date)}), downloaded once from micropython.org.
            {releases && releases.length === 0 && ' It is the newest release.'}{' '}
            <button type="button" className="link-button" onClick={() => void checkNewer()} disabled={busy || !hostUp}>
              Check for newer
            </button>
          </p>
        )}
        <label className="flash-field">
          <span>Or a firmware file on this computer</span>
          <input className="text-input" aria-label="Firmware file" value={file} placeholder="/path/to/firmware.bin" spellCheck={false} onChange={(e) => setFile(e.target.value)} disabled={busy} />
        </label>
        {!uf2Mode && (
        <label className="flash-check">
          <input type="checkbox" aria-label="Erase everything first" checked={eraseAll} onChange={(e) => setEraseAll(e.target.checked)} disabled={busy} />
          <span>Erase everything first (the board's files too)</span>
        </label>
        )}
        <div className="flash-actions">
          <button type="submit" className="button primary" disabled={busy || why !== null} title={why ?? undefined}>
            Flash
          </button>
          {!uf2Mode && (
            <button type="button" className="button" disabled={busy || !hostUp || chosenPort === ''} onClick={() => void detect()}>
              Detect chip
            </button>
          )}
        </div>
        {why && hostUp && <p className="flash-note">{why}</p>}
      </form>
      {chip && (
        <dl className="flash-chip" aria-label="Chip">
          <dt>Chip</dt>
          <dd>{chip.description}</dd>
          <dt>MAC</dt>
          <dd>{chip.mac}</dd>
          <dt>Flash</dt>
          <dd>{chip.flashSizeBytes !== undefined ? `${chip.flashSizeBytes / (1024 * 1024)} MB` : 'size unknown'}</dd>
          <dt>Crystal</dt>
          <dd>{chip.crystalMhz} MHz</dd>
        </dl>
      )}
      {failure && (
        <div className="flash-failure" role="alert">
          <p>{failure.message}</p>
          <button type="button" className="button" disabled={busy || why !== null} onClick={() => void (failure.action === 'flash' ? flash() : detect())}>
            Try again
          </button>
        </div>
      )}
      {uf2Result && (
        <p className="flash-result" role="status">
          Copied {uf2Result.firmware} to {uf2Result.drive} ({Math.round(uf2Result.bytes / 1024)} KB in {formatMs(uf2Result.copyMs)}); the board restarted into it
          {uf2Result.port ? ` and is back on ${uf2Result.port}` : ''} ({formatMs(uf2Result.totalMs)} in all).
          {!uf2Result.port && <span className="flash-warning"> No serial port came back in time: unplug the board and plug it in again.</span>}
        </p>
      )}
      {result && (
        <p className="flash-result" role="status">
          Flashed {result.firmware} at 0x{result.offset.toString(16)}
          {result.port !== result.askedPort && ` (the board re-enumerated as ${result.port} in its bootloader)`}: {Math.round(result.bytes / 1024)} KB written in {formatMs(result.writeMs)}, verified, and the
          chip restarted into it ({formatMs(result.totalMs)} in all).{' '}
          {result.banner ? (
            <>
              It now runs <span className="flash-banner">{result.banner}</span>.
            </>
          ) : (
            'It printed no MicroPython banner in the seconds after: a main.py may be running, or the board needs a tap on EN (RST).'
          )}
          {result.warnings.map((w) => (
            <span key={w} className="flash-warning">
              {' '}
              {w}
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
