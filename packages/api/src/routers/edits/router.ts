import { router } from "../../trpc.js";
import { syncDocument } from "./sync-document.js";
import { pushUpdate } from "./push-update.js";
import { moveCursor } from "./move-cursor.js";
import { lastCursor } from "./last-cursor.js";

export const editsRouter = router({ sync: syncDocument, push: pushUpdate });
export const cursorRouter = router({ move: moveCursor, last: lastCursor });
