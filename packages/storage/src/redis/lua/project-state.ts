import { APPEND_EVENTS_LUA } from "@cohort/realtime";
import { LuaScript } from "../lua-script.js";
import { prelude } from "./prelude.js";

/**
 * Small bookkeeping scripts that must not create a project by touching it: each acts only when
 * the project is loaded, and none of them counts as a change.
 */

/** Marks the project recently active (project.ping). Returns 1, or 0 when not loaded. */
export const touchProjectScript = new LuaScript(
  "touch-project",
  prelude +
    /* lua */ `
if redis.call('EXISTS', META) == 0 then return 0 end
redis.call('HSET', META, 'touchedAt', now_ms())
return 1
`,
);

/** Notes that a backup of ARGV[1] (version) exists. Returns 1, or 0 when not loaded. */
export const recordBackupScript = new LuaScript(
  "record-backup",
  prelude +
    /* lua */ `
if redis.call('EXISTS', META) == 0 then return 0 end
redis.call('HSET', META, 'backupVersion', ARGV[1], 'backupAt', now_ms())
return 1
`,
);

/**
 * Activity measured on the Redis clock (instances' clocks may disagree).
 * Returns nil when not loaded, else { version, idleMs, backupVersion (-1 if none), backupAgeMs (-1) }.
 */
export const projectActivityScript = new LuaScript(
  "project-activity",
  prelude +
    /* lua */ `
if redis.call('EXISTS', META) == 0 then return false end
local now = now_ms()
local last = math.max(meta_number('changedAt'), meta_number('touchedAt'))
local backup_version = tonumber(redis.call('HGET', META, 'backupVersion') or '-1')
local backup_at = redis.call('HGET', META, 'backupAt')
local backup_age = -1
if backup_at then backup_age = now - tonumber(backup_at) end
return { meta_number('version'), now - last, backup_version, backup_age }
`,
);

const SET_CURSOR = /* lua */ `
require_loaded()
local entry = get_entry(ARGV[2])
if entry == nil then fail('FILE_NOT_FOUND', ARGV[2]) end
if entry.type == 'directory' then fail('IS_A_DIRECTORY', ARGV[2]) end
redis.call('HSET', CURSORS, ARGV[1], ARGV[3])
`;

/** Stores a viewer's cursor on an existing file. ARGV: field, path, cursorJson. */
export const setCursorScript = new LuaScript("set-cursor", prelude + SET_CURSOR + "return 1\n");

/**
 * Stores a viewer's cursor and appends its event to the project's log in the same step: the move
 * reaches watchers one round trip sooner, and a cursor on a file that does not exist is neither
 * stored nor announced. KEYS: the project's four, then the log's stream (same hash tag).
 * ARGV: field, path, cursorJson, channel, maxLen, maxAgeMs, eventJson. Returns the event's id.
 */
export const setCursorAndAppendScript = new LuaScript(
  "set-cursor-and-append",
  prelude +
    APPEND_EVENTS_LUA +
    SET_CURSOR +
    /* lua */ `
return append_events(KEYS[5], ARGV[4], ARGV[5], ARGV[6], { ARGV[7] })[1]
`,
);
