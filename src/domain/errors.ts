/**
 * A refusal the user can cause and fix (unknown customer, bad amount, no permission).
 * `code` is dotted, stable and doubles as the i18n key; `params` fill the message.
 * The English `message` is for logs only: users see the localized text.
 */
export class DomainError extends Error {
  readonly code: string;
  readonly params: Readonly<Record<string, string | number>>;

  constructor(code: string, params: Record<string, string | number> = {}, message?: string) {
    super(message ?? code);
    this.name = 'DomainError';
    this.code = code;
    this.params = params;
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
