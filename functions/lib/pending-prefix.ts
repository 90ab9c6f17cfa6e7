/**
 * Where the tile function marks deep tiles the export worker is rendering (slow-tiles.ts), one owner
 * for it and the stack (its grant and expiry). No imports: synthesis loads it without runtime code.
 */
export const PENDING_PREFIX = "pending/";
