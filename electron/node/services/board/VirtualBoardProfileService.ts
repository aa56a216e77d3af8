/**
 * The firmware the built-in virtual board imitates (its profile), kept in the
 * settings. Changing it restarts the board with the new profile; each profile
 * has its own flash folder, as a board with other firmware is another board.
 */
import path from 'node:path';
import type { EventHub } from '../../../common/api/EventHub.js';
import type { PortInfo, vboardCalls } from '../../../common/api/contract.js';
import type { HandlersFor } from '../../../common/api/dispatcher.js';
import { DEFAULT_BOARD_PROFILE, type BoardProfileName } from '../../../common/board/boardProfileNames.js';
import type { SettingsStore } from '../SettingsStore.js';
import type { BoardConnectionService } from './BoardConnectionService.js';

/** The profile the settings name, else the default. */
export function virtualBoardProfile(settings: SettingsStore): BoardProfileName {
  return settings.get().virtualBoardProfile ?? DEFAULT_BOARD_PROFILE;
}

/** Where the virtual board's programs may connect, as the settings say (asked at each connect). */
export function virtualBoardReach(settings: SettingsStore): 'local' | 'internet' {
  return settings.get().virtualBoardInternet ? 'internet' : 'local';
}

/** Where a profile's files live: the default profile keeps the folder it always had. */
export function virtualBoardFlashDir(dataDir: string, profile: BoardProfileName): string {
  return path.join(dataDir, 'virtual-board', profile === DEFAULT_BOARD_PROFILE ? 'flash' : `flash-${profile}`);
}

export interface VirtualBoardProfileOptions {
  settings: SettingsStore;
  connections: BoardConnectionService;
  events: EventHub;
  /** The port list as it is now, sent again because the virtual board's name changed. */
  listPorts(): Promise<PortInfo[]>;
}

export class VirtualBoardProfileService {
  /** Changes run one after another: the board restarts once per change, in order. */
  private changing: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: VirtualBoardProfileOptions) {}

  get profile(): BoardProfileName {
    return virtualBoardProfile(this.options.settings);
  }

  handlers(): Pick<HandlersFor<typeof vboardCalls>, 'vboard.profile' | 'vboard.setProfile' | 'vboard.network' | 'vboard.setNetwork'> {
    return {
      'vboard.profile': async () => ({ profile: this.profile }),
      'vboard.setProfile': (p, ctx) => this.setProfile(p.profile, ctx.signal),
      'vboard.network': async () => ({ reach: virtualBoardReach(this.options.settings) }),
      'vboard.setNetwork': async ({ reach }) => {
        await this.options.settings.update({ virtualBoardInternet: reach === 'internet' ? true : undefined });
        return { reach };
      },
    };
  }

  setProfile(profile: BoardProfileName, signal?: AbortSignal): Promise<{ profile: BoardProfileName }> {
    const change = this.changing.then(async () => {
      if (profile === this.profile) return { profile };
      const { settings, connections, events, listPorts } = this.options;
      await settings.update({ virtualBoardProfile: profile === DEFAULT_BOARD_PROFILE ? undefined : profile });
      events.emit('vboard.profile', { profile });
      events.emit('ports.changed', { ports: await listPorts() });
      await connections.restartVirtualBoard(signal);
      return { profile };
    });
    this.changing = change.catch(() => undefined);
    return change;
  }
}
