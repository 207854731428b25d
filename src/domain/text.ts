/**
 * Text as a person meant it: without control and format characters (bidi overrides,
 * zero-width joiners, NUL), private-use or unassigned code points and lone surrogates, every
 * kind of space folded into one, trimmed. What comes from outside (commands, display names a
 * platform reports) goes through here before it is parsed or stored: PostgreSQL refuses a NUL
 * outright, and an override would turn a name around on every card that shows it.
 */
export function cleanText(text: string): string {
  return text
    .toWellFormed()
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\uFFFD]/gu, ' ')
    .replace(/[\s\u3000]+/gu, ' ')
    .trim();
}
