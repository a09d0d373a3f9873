import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type Env } from '../config/config.js';
import { createContainer, type Container, type ContainerOverrides } from '../container.js';

export interface TestService {
  container: Container;
  app: Awaited<ReturnType<Container['buildHttp']>>;
  dataDir: string;
  close(): Promise<void>;
}

/** A whole service on a fresh temporary data dir, driven with `app.inject()`. */
export async function startTestService(env: Env = {}, overrides: ContainerOverrides = {}): Promise<TestService> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-test-'));
  const config = loadConfig({ TICKETMOA_DATA_DIR: dataDir, LOG_LEVEL: 'silent', TICKETMOA_DEMO: '0', ...env });
  const container = await createContainer(config, overrides);
  let app: TestService['app'];
  try {
    app = await container.buildHttp();
    await app.ready();
  } catch (err) {
    await container.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    container,
    app,
    dataDir,
    close: async () => {
      await app.close();
      await container.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
