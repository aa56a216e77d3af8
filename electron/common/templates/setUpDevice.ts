/**
 * The new-device wizard's board work, shared by the app and the CLI: install
 * the packages the template imports (first: a main.py that cannot import its
 * client would fail at the next reset), then write config.json, boot.py and
 * main.py. Resetting is the caller's, so the app's reset path (which follows
 * the program main.py starts) is the one used.
 */
import type { BoardSession } from '../board/BoardSession.js';
import type { BoardFiles } from '../board/files/BoardFiles.js';
import { installPackages, type InstallOptions } from '../packages/installOnBoard.js';
import type { PlannedPackage } from '../packages/installPlan.js';
import { deviceFiles, type DeviceAnswers, type DeviceFiles } from './deviceTemplates.js';

export interface DeviceSetup {
  /** Board paths written, config.json first. */
  written: string[];
  packages: PlannedPackage[];
  topics: DeviceFiles['topics'];
  notes: string[];
}

export async function setUpDevice(answers: DeviceAnswers, session: BoardSession, files: BoardFiles, install: InstallOptions): Promise<DeviceSetup> {
  const made = deviceFiles(answers);
  const setup: DeviceSetup = { written: [], packages: [], topics: made.topics, notes: [] };
  if (made.packages.length > 0) {
    const installed = await installPackages(made.packages, session, files, install);
    setup.packages = installed.plan.packages;
    setup.notes.push(...installed.plan.notes);
  }
  const encoder = new TextEncoder();
  for (const [path, text] of Object.entries(made.files)) {
    await files.write(path, encoder.encode(text), { ...(install.signal ? { signal: install.signal } : {}) });
    setup.written.push(path);
  }
  return setup;
}
