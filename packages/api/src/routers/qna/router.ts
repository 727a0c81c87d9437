import { router } from "../../trpc.js";
import { listThreads } from "./list-threads.js";
import { createThread } from "./create-thread.js";
import { updateThread } from "./update-thread.js";
import { addComment } from "./add-comment.js";
import { editComment } from "./edit-comment.js";

export const qnaRouter = router({
  list: listThreads,
  create: createThread,
  update: updateThread,
  comment: addComment,
  editComment,
});
