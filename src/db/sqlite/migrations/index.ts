import type { Migration } from '../../migration.js';
import { catalog0001 } from './0001_catalog.js';
import { accounts0002 } from './0002_accounts.js';

export const sqliteMigrations: readonly Migration[] = [catalog0001, accounts0002];
