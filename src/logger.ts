import type { Logger } from './app/ports.ts';

const SECRET_KEY = /token|secret|password|authorization|signature|api[-_]?key/i;

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : v]),
  );
}

/** JSON lines on stderr, so stdout carries only what the user asked for. */
export function createLogger(stream: NodeJS.WritableStream = process.stderr): Logger {
  const write = (level: string, message: string, fields: Record<string, unknown> = {}) => {
    stream.write(
      `${JSON.stringify({ time: new Date().toISOString(), level, message, ...redact(fields) })}\n`,
    );
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
