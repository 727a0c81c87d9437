export { docKeys, RedisDocStore, UpdateRejectedError, type DocRef, type Committed, type CommitAnnouncement, type CommitOptions, type RedisDocStoreOptions } from "./redis-doc-store.js";
export { checkUpdate, TEXT_NAME, type UpdateProblem } from "./check-update.js";
export { replaceText } from "./text-diff.js";
export {
  createTextAnchor,
  resolveTextAnchors,
  relocateTextAnchor,
  LineRangeError,
  MAX_EXCERPT_CHARS,
  type LineRange,
  type AnchorResolution,
} from "./text-anchor.js";
