import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { callServer } from "~/trpc/server";
import { CallError } from "../../_components/call-error";
import { LoadTestLive } from "./_components/load-test-live";

export const metadata: Metadata = { title: "Load test" };

export default async function LoadTestPage({ params }: { params: Promise<{ testId: string }> }) {
  const testId = Number((await params).testId);
  if (!Number.isSafeInteger(testId) || testId <= 0) notFound();
  const test = await callServer((api) => api.loadtest.get.query({ testId }), `/load-tests/${testId}`);
  if (!test.ok && test.error.code === "NOT_FOUND") notFound();
  return (
    <>
      <p className="small">
        <Link href="/load-tests">← Load tests</Link>
      </p>
      <h1>Load test #{testId}</h1>
      {test.ok ? <LoadTestLive initial={test.data} /> : <CallError what={`load test ${testId}`} error={test.error} />}
    </>
  );
}
