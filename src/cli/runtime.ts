import { type Config, ConfigError, loadConfig, loadDotEnv } from '../config/config.js';
import { describeDatabase, sqliteFileToCreate } from '../config/database-location.js';
import { createContainer, type Container } from '../container.js';

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

interface Writable {
  write(text: string): unknown;
}

export interface OpenOptions {
  /**
   * Whether the command may create the database (serve, seed, import, create-admin, …). A command
   * that only reads or changes existing data refuses to, so that run from another folder or
   * without the server's settings it says where it looked instead of making a fresh `./data`.
   */
  mayCreate: boolean;
  /** Prints "<command>: using <database>" on stderr first (false where the command's own output names it). */
  announce?: boolean;
  stderr?: Writable;
}

/** Why a command that only works on existing data did not start: no database where the settings point. */
export function noDatabaseMessage(command: string, config: Config): string {
  return (
    `ticketmoa ${command}: the ${describeDatabase(config)} does not exist; ` +
    `${command} works on existing data, so it creates none.\n` +
    `Run it with the settings of your "ticketmoa serve": from the same folder (its .env), or with the same ` +
    `TICKETMOA_DATA_DIR or DATABASE_URL.\n`
  );
}

/** Whether the database `config` names exists (PostgreSQL: assumed); when not, says so on `stderr`. */
export function databaseExists(command: string, config: Config, stderr: Writable = process.stderr): boolean {
  if (sqliteFileToCreate(config) === undefined) return true;
  stderr.write(noDatabaseMessage(command, config));
  return false;
}

/**
 * The container for a command, after the database check of `options`: undefined (the reason
 * printed) when the command may not create the database and its SQLite file does not exist.
 * Nothing is written before that check: no database, outbox or generated JWT secret.
 */
export async function openContainer(command: string, config: Config, options: OpenOptions): Promise<Container | undefined> {
  const stderr = options.stderr ?? process.stderr;
  if (!options.mayCreate && !databaseExists(command, config, stderr)) return undefined;
  if (options.announce !== false) stderr.write(`${command}: using the ${describeDatabase(config)}\n`);
  return createContainer(config);
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
