import { ApiError, loadFigures, loadPending, loggedIn, login, logout } from './api.js';
import { renderFigures, renderPending, renderSyntheticNote } from './render.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const loginView = $<HTMLElement>('login');
const loginForm = $<HTMLFormElement>('login-form');
const loginMessage = $<HTMLElement>('login-message');
const dashView = $<HTMLElement>('dashboard');
const board = $<HTMLElement>('board');
const status = $<HTMLElement>('status');
const rangeForm = $<HTMLFormElement>('range');
const from = $<HTMLInputElement>('from');
const to = $<HTMLInputElement>('to');
const synthetic = $<HTMLInputElement>('synthetic');
const pending = $<HTMLElement>('pending');
const syntheticNote = $<HTMLElement>('synthetic-note');

/** How often the "not in the lake yet" panel is asked again while the dashboard is shown. */
const PENDING_EVERY_MS = 5000;
let pendingTimer: ReturnType<typeof setInterval> | undefined;

async function refreshPending(): Promise<void> {
  try {
    renderPending(pending, await loadPending());
  } catch {
    pending.dataset.state = 'error'; // the figures' own request says what went wrong
  }
}

function showLogin(message = ''): void {
  if (pendingTimer) clearInterval(pendingTimer);
  pendingTimer = undefined;
  pending.replaceChildren();
  dashView.hidden = true;
  board.replaceChildren();
  loginView.hidden = false;
  loginMessage.textContent = message;
  $<HTMLInputElement>('user-id').focus();
}

async function show(): Promise<void> {
  loginView.hidden = true;
  dashView.hidden = false;
  status.textContent = '불러오는 중…';
  status.dataset.state = 'loading';
  try {
    const [figures] = await Promise.all([loadFigures(from.value, to.value, synthetic.checked), refreshPending()]);
    from.value = figures.activity.from;
    to.value = figures.activity.to;
    renderFigures(board, figures);
    renderSyntheticNote(syntheticNote, figures);
    pendingTimer ??= setInterval(() => void refreshPending(), PENDING_EVERY_MS);
    status.textContent = `${figures.activity.from} ~ ${figures.activity.to} (KST)`;
    status.dataset.state = 'ready';
  } catch (err) {
    status.dataset.state = 'error';
    if (err instanceof ApiError && err.status === 401) return showLogin('로그인이 만료되었습니다. 다시 로그인해 주세요.');
    if (err instanceof ApiError && err.status === 403) {
      await logout();
      return showLogin('관리자 권한이 없는 계정입니다. 관리자 계정으로 로그인해 주세요.');
    }
    board.replaceChildren();
    status.textContent = err instanceof ApiError ? `데이터를 불러오지 못했습니다: ${err.message}` : '서버에 연결할 수 없습니다.';
  }
}

loginForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const button = loginForm.querySelector('button')!;
  button.disabled = true;
  loginMessage.textContent = '';
  login($<HTMLInputElement>('user-id').value, $<HTMLInputElement>('password').value)
    .then(async () => {
      loginForm.reset();
      await show();
    })
    .catch((err: unknown) => {
      const status = err instanceof ApiError ? err.status : 0;
      loginMessage.textContent =
        status === 401
          ? '아이디 또는 비밀번호가 올바르지 않습니다.'
          : status === 429
            ? '시도가 너무 많습니다. 잠시 후 다시 시도해 주세요.'
            : '로그인하지 못했습니다.';
    })
    .finally(() => {
      button.disabled = false;
    });
});

rangeForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void show();
});
synthetic.addEventListener('change', () => void show());

$<HTMLButtonElement>('logout').addEventListener('click', () => {
  void logout().then(() => showLogin('로그아웃했습니다.'));
});

if (loggedIn()) void show();
else showLogin();
