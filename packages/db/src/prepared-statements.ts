import { createHash } from "node:crypto";
import { Prisma } from "./generated/client.js";

const MARK = "/* prepared */ ";

/**
 * Put first in a raw query (`db.$queryRaw\`${PREPARED}SELECT …\``) that runs often: it becomes a
 * named prepared statement on each pooled connection, so PostgreSQL parses it once per connection
 * and, after a few runs, reuses one plan instead of planning every call (planning the Q&A page
 * query took longer than running it). Mark only statements whose text takes a bounded number of
 * forms (lists as one array parameter, `= ANY(…)`, not `IN (…)`): each form stays prepared on every
 * connection for the connection's life.
 */
export const PREPARED = Prisma.raw(MARK);

/** Names are kept per text: hashing the same few statements on every call would be waste. */
const names = new Map<string, string>();

/** More forms than this means a marked statement's text varies with its data: stop naming. */
const MAX_FORMS = 256;

/**
 * The driver adapter's statement name for a query: a name derived from the text for marked
 * statements, none (unnamed, planned per call) for everything else.
 */
export function statementName(query: { sql: string }): string | undefined {
  if (!query.sql.startsWith(MARK)) return undefined;
  let name = names.get(query.sql);
  if (name === undefined) {
    if (names.size >= MAX_FORMS) return undefined;
    name = `cohort_${createHash("sha1").update(query.sql).digest("hex").slice(0, 24)}`;
    names.set(query.sql, name);
  }
  return name;
}
