/** Where `create-admin` reads a password: standard input, a terminal or a pipe. */
export interface PasswordSource extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
}

interface Writable {
  write(text: string): unknown;
}

export type PasswordRead = { ok: true; password: string } | { ok: false; reason: string; aborted?: boolean };

/**
 * On a terminal: asks twice, without echo, and the two must match. From a pipe or a file: the
 * whole input, less one final line break (`echo secret | …`); it must be one line. Either way an
 * empty password is refused.
 */
export async function readPassword(stdin: PasswordSource, prompt: Writable, promptText: string): Promise<PasswordRead> {
  let password: string;
  if (stdin.isTTY === true && stdin.setRawMode !== undefined) {
    const first = await askHidden(stdin, prompt, promptText);
    if (first === undefined) return { ok: false, reason: 'stopped', aborted: true };
    if (first === '') return { ok: false, reason: 'the password is empty' };
    const again = await askHidden(stdin, prompt, 'The same password again: ');
    if (again === undefined) return { ok: false, reason: 'stopped', aborted: true };
    if (again !== first) return { ok: false, reason: 'the two passwords differ' };
    password = first;
  } else {
    const text = await readAll(stdin);
    password = text.replace(/\r?\n$/, '');
    if (/[\r\n]/.test(password)) return { ok: false, reason: 'the password must be one line (standard input held several)' };
  }
  if (password === '') return { ok: false, reason: 'the password is empty (pipe it in, e.g. printf %s "$PASSWORD" | ticketmoa create-admin <id>)' };
  return { ok: true, password };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads one line in raw mode, echoing nothing; undefined when stopped (Ctrl-C, Ctrl-D). */
function askHidden(stdin: PasswordSource, prompt: Writable, text: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    prompt.write(text);
    stdin.setRawMode!(true);
    stdin.setEncoding('utf8');
    stdin.resume();
    let value = '';
    const done = (result: string | undefined) => {
      stdin.off('data', onData);
      stdin.setRawMode!(false);
      stdin.pause();
      prompt.write('\n');
      resolve(result);
    };
    const onData = (chunk: string | Buffer) => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') return done(value);
        if (ch === '\u0003' || ch === '\u0004') return done(undefined);
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
