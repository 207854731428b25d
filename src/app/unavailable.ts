// Whether a failure means the database cannot be reached right now — a server restarting, a
// network cut, a pool that cannot connect — rather than a fault in what was asked. Such a
// request is worth sending again in a moment, and the person is told so in their language
// instead of being handed an incident reference.

/** SQLSTATE classes and codes of a server going away or refusing connections for now. */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
const CONNECTION_CLASS = '08';
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);
const MESSAGES = [
  /^Connection terminated/,
  /connection error/i,
  /timeout exceeded when trying to connect/i,
  /is not queryable/,
  /terminating connection due to administrator command/,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNAVAILABLE_STATES.has(code) || code.startsWith(CONNECTION_CLASS)) return true;
    if (SOCKET_CODES.has(code)) return true;
  }
  if (MESSAGES.some((m) => m.test(error.message))) return true;
  // A pool or driver may wrap the socket's error.
  return error.cause !== undefined && error.cause !== error && isDatabaseUnavailable(error.cause);
}
