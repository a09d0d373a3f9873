import { type Config, ConfigError, loadConfig, loadDotEnv } from '../config/config.js';

/** Loads `.env` and the configuration, printing a clear message and returning undefined when invalid. */
export function configFromEnvironment(): Config | undefined {
  try {
    loadDotEnv();
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`ticketmoa: ${err.message}\n`);
      return undefined;
    }
    throw err;
  }
}

/** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
