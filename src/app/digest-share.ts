// The morning digests of many channels go out together: every channel at 09:00 in its zone,
// ten side by side. What they show of the portfolio — aging, KPIs, promises, dunning, reviews,
// the overdue customers, pending approvals — is the same for each of them on a given day;
// only the channel's filters pick a different share of it. Loading it once per delivery round
// instead of once per channel is what keeps 1,000 channels over 2M invoices within seconds
// (docs/performance.md, "Digest").

/** How long a loaded part is reused: one delivery round, so figures are at most this old. */
export const DIGEST_SHARE_TTL_MS = 60_000;

export interface DigestShare {
  /**
   * The value under `key`, loaded by `load` unless a load of it is under way or finished less
   * than the share's lifetime ago; callers at the same time wait for the same load. A failed
   * load is forgotten at once, so the next caller tries again.
   */
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
}

export function createDigestShare(
  options: {
    readonly ttlMs?: number;
    /** A monotonic clock in milliseconds: the business clock may stand still (tests) or jump. */
    readonly now?: () => number;
  } = {},
): DigestShare {
  const ttlMs = options.ttlMs ?? DIGEST_SHARE_TTL_MS;
  const now = options.now ?? (() => performance.now());
  const entries = new Map<string, { readonly at: number; readonly value: Promise<unknown> }>();
  return {
    get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const at = now();
      // A round loads a few dozen parts; dropping the stale ones on each call keeps it that small.
      for (const [k, entry] of entries) if (at - entry.at >= ttlMs) entries.delete(k);
      const hit = entries.get(key);
      // The key names what was loaded, so its value is the T this caller asks for.
      if (hit) return hit.value as Promise<T>;
      const value = load();
      const entry = { at, value };
      const forget = () => {
        if (entries.get(key) === entry) entries.delete(key);
      };
      entries.set(key, entry);
      value.catch(forget);
      // A round holds tens of megabytes of rows; the next one may be a day away.
      setTimeout(forget, ttlMs).unref();
      return value;
    },
  };
}
