import { router } from "../../trpc.js";
import { onInboxEvent } from "./on-inbox-event.js";

export const inboxRouter = router({ watch: onInboxEvent });
