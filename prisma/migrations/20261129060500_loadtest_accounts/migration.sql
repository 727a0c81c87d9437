-- AlterTable
ALTER TABLE "LoadTest" ADD COLUMN     "clientsPerTester" INTEGER NOT NULL DEFAULT 50,
ADD COLUMN     "launchedAt" TIMESTAMP(3),
ADD COLUMN     "registerTimeoutMs" INTEGER NOT NULL DEFAULT 120000,
ADD COLUMN     "reportGraceMs" INTEGER NOT NULL DEFAULT 60000,
ADD COLUMN     "stoppedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "LoadTestAccount" (
    "loadTestId" INTEGER NOT NULL,
    "slot" INTEGER NOT NULL,
    "participantId" INTEGER NOT NULL,

    CONSTRAINT "LoadTestAccount_pkey" PRIMARY KEY ("loadTestId","slot")
);

-- CreateIndex
CREATE INDEX "LoadTestAccount_participantId_idx" ON "LoadTestAccount"("participantId");

-- AddForeignKey
ALTER TABLE "LoadTestAccount" ADD CONSTRAINT "LoadTestAccount_loadTestId_fkey" FOREIGN KEY ("loadTestId") REFERENCES "LoadTest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoadTestAccount" ADD CONSTRAINT "LoadTestAccount_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

