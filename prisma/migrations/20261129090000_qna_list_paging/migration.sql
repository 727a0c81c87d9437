-- qna.list pages newest first (by id) through a lesson's threads, or through the threads one
-- participant sees: both orders come straight out of an index, whatever page is asked for.

-- DropIndex
DROP INDEX "QnaThread_lessonId_idx";

-- DropIndex
DROP INDEX "QnaThreadViewer_participantId_idx";

-- CreateIndex
CREATE INDEX "QnaThread_lessonId_id_idx" ON "QnaThread"("lessonId", "id");

-- CreateIndex
CREATE INDEX "QnaThreadViewer_participantId_threadId_idx" ON "QnaThreadViewer"("participantId", "threadId");
