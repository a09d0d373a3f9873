import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`), driven by playwright-core: no browser download.
 * The flags keep it off this machine's closed network (background networking would try Google's
 * hosts at every start) and let it run as root in a sandbox-less container.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Whether a browser suite can run here; in CI (`CI=true`) a missing Chromium fails the suite instead. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') throw new Error(`Chromium is required in CI but ${CHROMIUM_PATH} is missing (apt-get install chromium)`);
  console.warn(`browser tests skipped: ${CHROMIUM_PATH} not found (apt-get install chromium)`);
  return false;
}

/** `extraArgs`: more command-line switches (`--host-resolver-rules=…` to give local servers real-looking host names). */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs], headless: true });
}
