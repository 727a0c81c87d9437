import { router } from "../../trpc.js";
import { joinLesson } from "./join-lesson.js";
import { listParticipants } from "./list-participants.js";
import { onPresence } from "./on-presence.js";
import { listLessons } from "./list-lessons.js";

export const lessonRouter = router({
  join: joinLesson,
  participants: listParticipants,
  presence: onPresence,
  list: listLessons,
});
