/** The date every test ledger is seeded relative to, and the clock tests run at. */
export const TEST_TODAY = '2026-11-23';
export const TEST_NOW = new Date('2026-11-23T03:00:00Z');
export const TEST_TIMEZONE = 'Asia/Tokyo';
