import type { Migration } from '../../migration.js';
import { catalog0001 } from './0001_catalog.js';

export const sqliteMigrations: readonly Migration[] = [catalog0001];
