import type { Migration } from '../../migration.js';
import { catalog0001 } from './0001_catalog.js';
import { accounts0002 } from './0002_accounts.js';
import { analytics0003 } from './0003_analytics.js';
import { kakaoTickets0004 } from './0004_kakao_tickets.js';
import { sessionRefreshGrace0005 } from './0005_session_refresh_grace.js';
import { kopis0006 } from './0006_kopis.js';
import { kopisRecordProblems0007 } from './0007_kopis_record_problems.js';
import { kakaoStates0008 } from './0008_kakao_states.js';
import { likes0009 } from './0009_likes.js';
import { authChanges0010 } from './0010_auth_changes.js';

export const sqliteMigrations: readonly Migration[] = [
  catalog0001,
  accounts0002,
  analytics0003,
  kakaoTickets0004,
  sessionRefreshGrace0005,
  kopis0006,
  kopisRecordProblems0007,
  kakaoStates0008,
  likes0009,
  authChanges0010,
];
