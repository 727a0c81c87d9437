-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('TEACHER', 'STUDENT');

-- CreateEnum
CREATE TYPE "LoadTestState" AS ENUM ('CREATED', 'LAUNCHING', 'RUNNING', 'DONE', 'STOPPED', 'FAILED');

-- CreateEnum
CREATE TYPE "TesterState" AS ENUM ('LAUNCHING', 'PENDING', 'RUNNING', 'DONE', 'FAILED');

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "externalId" TEXT,
    "name" TEXT NOT NULL,
    "isTester" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Course" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "teacherId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Course_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Participant" (
    "id" SERIAL NOT NULL,
    "courseId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "role" "Role" NOT NULL,
    "nickname" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Participant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Lesson" (
    "id" SERIAL NOT NULL,
    "courseId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "templateKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Lesson_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Project" (
    "id" SERIAL NOT NULL,
    "lessonId" INTEGER NOT NULL,
    "ownerId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastActiveAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "templateApplied" BOOLEAN NOT NULL DEFAULT false,
    "lastBackupKey" TEXT,
    "lastBackupAt" TIMESTAMP(3),

    CONSTRAINT "Project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectGrant" (
    "projectId" INTEGER NOT NULL,
    "viewerId" INTEGER NOT NULL,
    "permission" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProjectGrant_pkey" PRIMARY KEY ("projectId","viewerId")
);

-- CreateTable
CREATE TABLE "CodeRef" (
    "id" SERIAL NOT NULL,
    "projectId" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "lineStart" INTEGER NOT NULL,
    "lineEnd" INTEGER NOT NULL,
    "outdated" BOOLEAN NOT NULL DEFAULT false,
    "anchor" BYTEA,
    "excerpt" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "CodeRef_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QnaThread" (
    "id" SERIAL NOT NULL,
    "lessonId" INTEGER NOT NULL,
    "codeRefId" INTEGER NOT NULL,
    "authorId" INTEGER NOT NULL,
    "resolved" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "QnaThread_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QnaThreadViewer" (
    "threadId" INTEGER NOT NULL,
    "participantId" INTEGER NOT NULL,

    CONSTRAINT "QnaThreadViewer_pkey" PRIMARY KEY ("threadId","participantId")
);

-- CreateTable
CREATE TABLE "QnaComment" (
    "id" SERIAL NOT NULL,
    "threadId" INTEGER NOT NULL,
    "authorId" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "QnaComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoadTest" (
    "id" SERIAL NOT NULL,
    "lessonId" INTEGER NOT NULL,
    "serverUrl" TEXT NOT NULL,
    "clients" INTEGER NOT NULL,
    "targetParticipantId" INTEGER,
    "launcher" TEXT NOT NULL,
    "scenario" JSONB NOT NULL,
    "durationSec" INTEGER NOT NULL,
    "state" "LoadTestState" NOT NULL DEFAULT 'CREATED',
    "tokenHash" TEXT NOT NULL,
    "startAt" TIMESTAMP(3),
    "endAt" TIMESTAMP(3),
    "results" JSONB,
    "reportPrefix" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoadTest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tester" (
    "id" SERIAL NOT NULL,
    "loadTestId" INTEGER NOT NULL,
    "index" INTEGER NOT NULL,
    "clients" INTEGER NOT NULL,
    "state" "TesterState" NOT NULL DEFAULT 'LAUNCHING',
    "taskArn" TEXT,
    "pid" INTEGER,
    "registeredAt" TIMESTAMP(3),
    "reportKey" TEXT,
    "report" JSONB,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Tester_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_externalId_key" ON "User"("externalId");

-- CreateIndex
CREATE INDEX "Participant_userId_idx" ON "Participant"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Participant_courseId_userId_key" ON "Participant"("courseId", "userId");

-- CreateIndex
CREATE INDEX "Lesson_courseId_idx" ON "Lesson"("courseId");

-- CreateIndex
CREATE UNIQUE INDEX "Project_lessonId_ownerId_key" ON "Project"("lessonId", "ownerId");

-- CreateIndex
CREATE INDEX "ProjectGrant_viewerId_idx" ON "ProjectGrant"("viewerId");

-- CreateIndex
CREATE INDEX "CodeRef_projectId_path_idx" ON "CodeRef"("projectId", "path");

-- CreateIndex
CREATE INDEX "QnaThread_lessonId_idx" ON "QnaThread"("lessonId");

-- CreateIndex
CREATE INDEX "QnaThread_codeRefId_idx" ON "QnaThread"("codeRefId");

-- CreateIndex
CREATE INDEX "QnaThreadViewer_participantId_idx" ON "QnaThreadViewer"("participantId");

-- CreateIndex
CREATE INDEX "QnaComment_threadId_idx" ON "QnaComment"("threadId");

-- CreateIndex
CREATE INDEX "LoadTest_lessonId_idx" ON "LoadTest"("lessonId");

-- CreateIndex
CREATE UNIQUE INDEX "Tester_loadTestId_index_key" ON "Tester"("loadTestId", "index");

-- AddForeignKey
ALTER TABLE "Course" ADD CONSTRAINT "Course_teacherId_fkey" FOREIGN KEY ("teacherId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Participant" ADD CONSTRAINT "Participant_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Participant" ADD CONSTRAINT "Participant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lesson" ADD CONSTRAINT "Lesson_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "Lesson"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectGrant" ADD CONSTRAINT "ProjectGrant_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectGrant" ADD CONSTRAINT "ProjectGrant_viewerId_fkey" FOREIGN KEY ("viewerId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CodeRef" ADD CONSTRAINT "CodeRef_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QnaThread" ADD CONSTRAINT "QnaThread_codeRefId_fkey" FOREIGN KEY ("codeRefId") REFERENCES "CodeRef"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QnaThread" ADD CONSTRAINT "QnaThread_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QnaThreadViewer" ADD CONSTRAINT "QnaThreadViewer_threadId_fkey" FOREIGN KEY ("threadId") REFERENCES "QnaThread"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QnaThreadViewer" ADD CONSTRAINT "QnaThreadViewer_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QnaComment" ADD CONSTRAINT "QnaComment_threadId_fkey" FOREIGN KEY ("threadId") REFERENCES "QnaThread"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QnaComment" ADD CONSTRAINT "QnaComment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoadTest" ADD CONSTRAINT "LoadTest_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "Lesson"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tester" ADD CONSTRAINT "Tester_loadTestId_fkey" FOREIGN KEY ("loadTestId") REFERENCES "LoadTest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

